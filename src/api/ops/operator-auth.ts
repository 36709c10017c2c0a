import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { OperatorRole } from '../../domain/operator-role';
import { HttpError } from '../http-error';

/** The header operators authenticate with. */
export const OPERATOR_KEY_HEADER = 'x-operator-key';

/** One operator's credential (config `OPERATOR_KEYS`, `name:role:key`); the name is what the audit trail records. */
export interface OperatorCredential {
  name: string;
  role: OperatorRole;
  key: string;
}

/** The operator a request was let through as. */
export interface Operator {
  name: string;
  role: OperatorRole;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function operatorIn(res: Response): Operator | undefined {
  const operator: unknown = res.locals.operator;
  if (typeof operator !== 'object' || operator === null || !('name' in operator) || !('role' in operator))
    return undefined;
  return operator as Operator;
}

/** Lets a request through only with a configured operator key (else 401), and remembers whose it is. */
export function requireOperator(operators: readonly OperatorCredential[]): RequestHandler {
  return (req, res, next) => {
    const presented = req.header(OPERATOR_KEY_HEADER);
    const operator =
      presented === undefined ? undefined : operators.find((candidate) => sameSecret(candidate.key, presented));
    if (operator === undefined) {
      next(new HttpError(401, 'UNAUTHENTICATED', `missing or unknown ${OPERATOR_KEY_HEADER}`));
      return;
    }
    res.locals.operator = { name: operator.name, role: operator.role } satisfies Operator;
    next();
  };
}

/**
 * Lets through only an operator holding one of `roles` (else 403 FORBIDDEN_ROLE). Every action
 * route says which roles may take it: `requireRole('operator')` for workflow decisions,
 * `requireRole('finance')` for anything that moves money. Behind {@link requireOperator}.
 */
export function requireRole(...roles: OperatorRole[]): RequestHandler {
  return (_req, res, next) => {
    const operator = operatorIn(res);
    if (operator === undefined || !roles.includes(operator.role)) {
      next(
        new HttpError(
          403,
          'FORBIDDEN_ROLE',
          `this action needs the ${roles.join(' or ')} role${operator === undefined ? '' : `; ${operator.name} is ${operator.role}`}`,
        ),
      );
      return;
    }
    next();
  };
}

/**
 * The audit trail of operator actions: every request that is not a read writes one `audit` log
 * line naming the operator, their role, the action and its outcome (refusals included), once
 * the answer is sent. Behind {@link requireOperator}.
 */
export function auditOperatorActions(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.on('finish', () => {
        const operator = operatorIn(res);
        logger.info(
          {
            audit: 'OPERATOR_ACTION',
            operator: operator?.name,
            role: operator?.role,
            method: req.method,
            path: req.originalUrl,
            status: res.statusCode,
          },
          'operator action',
        );
      });
    }
    next();
  };
}

/** The name of the operator `requireOperator` let through, for signals and the audit trail. */
export function operatorOf(res: Response): string {
  const operator = operatorIn(res);
  if (operator === undefined) throw new Error('operatorOf called on a route not behind requireOperator');
  return operator.name;
}

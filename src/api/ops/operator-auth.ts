import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { HttpError } from '../http-error';

/** The header operators authenticate with. */
export const OPERATOR_KEY_HEADER = 'x-operator-key';

/** One operator's credential (config `OPERATOR_KEYS`, `name:key`); the name is what the audit trail records. */
export interface OperatorCredential {
  name: string;
  key: string;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Lets a request through only with a configured operator key (else 401), and remembers whose it is. */
export function requireOperator(operators: readonly OperatorCredential[]): RequestHandler {
  return (req, res, next) => {
    const presented = req.header(OPERATOR_KEY_HEADER);
    const operator = presented === undefined ? undefined : operators.find((candidate) => sameSecret(candidate.key, presented));
    if (operator === undefined) {
      next(new HttpError(401, 'UNAUTHENTICATED', `missing or unknown ${OPERATOR_KEY_HEADER}`));
      return;
    }
    res.locals.operator = operator.name;
    next();
  };
}

/** The name of the operator `requireOperator` let through, for signals and the audit trail. */
export function operatorOf(res: Response): string {
  const name: unknown = res.locals.operator;
  if (typeof name !== 'string') throw new Error('operatorOf called on a route not behind requireOperator');
  return name;
}

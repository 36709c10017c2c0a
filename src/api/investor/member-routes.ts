import type { MikroORM } from '@mikro-orm/postgresql';
import { Router, type Request } from 'express';
import { daysBetween, shanghaiDate } from '../../domain/calendar';
import { HttpError, parseOrThrow } from '../http-error';
import { type MemberIdentity, requiredMemberId } from '../member-identity';
import type { PiiCipher } from '../../db/pii-cipher';
import { sendDocument } from './documents/respond';
import { statementDocument } from './documents/statement';
import { memberHoldings, memberIncome } from './member-read-model';
import { memberOrderHistory } from './order-history';
import {
  incomeQuerySchema,
  MAX_INCOME_RANGE_DAYS,
  memberIdParamSchema,
  orderHistoryQuerySchema,
  statementMonthSchema,
} from './schemas';
import { memberStatement } from './statement-read-model';

/** What the member routes need. */
export interface MemberRouteDeps {
  orm: MikroORM;
  member: MemberIdentity;
  now: () => Date;
  /** Decrypts the investor's name for the statement. */
  pii: PiiCipher;
}

/**
 * The path's member must be the token's. Another member's data answers 404, as if it did not
 * exist, so the API never confirms that a member id is real.
 */
function ownMemberId(req: Request): string {
  const memberId = parseOrThrow(memberIdParamSchema, req.params.memberId, 'path.memberId');
  if (memberId !== requiredMemberId(req)) throw new HttpError(404, 'MEMBER_NOT_FOUND', `no member ${memberId}`);
  return memberId;
}

/** 400 on `query.from` when the range runs backwards. */
function assertFromNotAfterTo(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && daysBetween(from, to) < 0)
    throw new HttpError(400, 'VALIDATION_FAILED', `query.from ${from} is after query.to ${to}`, [
      { field: 'query.from', message: 'must not be after to' },
    ]);
}

/** `/v1/members/:memberId/…`: the investor centre's orders, holdings, income and statements, for the token's member only. */
export function memberRoutes({ orm, member, now, pii }: MemberRouteDeps): Router {
  const router = Router();
  router.use(member.read);

  router.get('/:memberId/holdings', async (req, res) => {
    const memberId = ownMemberId(req);
    res.json(await memberHoldings(orm.em.fork(), memberId, shanghaiDate(now())));
  });

  router.get('/:memberId/orders', async (req, res) => {
    const memberId = ownMemberId(req);
    const query = parseOrThrow(orderHistoryQuerySchema, req.query, 'query');
    assertFromNotAfterTo(query.from, query.to);
    res.json(await memberOrderHistory(orm.em.fork(), memberId, query));
  });

  router.get('/:memberId/income', async (req, res) => {
    const memberId = ownMemberId(req);
    const { from, to } = parseOrThrow(incomeQuerySchema, req.query, 'query');
    assertFromNotAfterTo(from, to);
    if (daysBetween(from, to) >= MAX_INCOME_RANGE_DAYS) {
      throw new HttpError(400, 'VALIDATION_FAILED', `at most ${MAX_INCOME_RANGE_DAYS} days per call`, [
        { field: 'query.to', message: `at most ${MAX_INCOME_RANGE_DAYS} days after from` },
      ]);
    }
    res.json(await memberIncome(orm.em.fork(), memberId, from, to));
  });

  router.get('/:memberId/statements/:month', async (req, res) => {
    const memberId = ownMemberId(req);
    const month = parseOrThrow(statementMonthSchema, req.params.month, 'path.month');
    const today = shanghaiDate(now());
    if (month > today.slice(0, 7))
      throw new HttpError(400, 'VALIDATION_FAILED', `no statement yet for ${month}`, [
        { field: 'path.month', message: 'must not be after the current month' },
      ]);
    const statement = await memberStatement(orm.em.fork(), pii, memberId, month);
    await sendDocument(req, res, {
      json: statement,
      document: (lang) => statementDocument(statement, lang, today),
      fileName: `statement-${memberId}-${month}`,
    });
  });

  return router;
}

import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import { z } from 'zod';
import {
  demandDailyTotals,
  listDemandHoldings,
  listDemandIncomeOn,
  listDemandMovementsOn,
} from '../../db/repositories/demand';
import type { XjpClient } from '../../partners/xjp';
import { countFindings } from '../../reconciliation/findings';
import { reconcileDemandStatement } from '../../reconciliation/demand';
import { daysBetween } from '../../domain/calendar';
import { HttpError, parseOrThrow } from '../http-error';

const pageSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
const rangeSchema = z.strictObject({ from: z.iso.date(), to: z.iso.date() });
/** A year and a bit per call: the totals are one row per day. */
const MAX_RANGE_DAYS = 400;

/** `/ops/demand/…`: every member's demand holding, the income of each day across holdings, and a day reconciled against XJP. */
export function opsDemandRoutes({ orm, xjp }: { orm: MikroORM; xjp: XjpClient }): Router {
  const router = Router();
  router.get('/demand/holdings', async (req, res) => {
    const page = parseOrThrow(pageSchema, req.query, 'query');
    res.json({ ...page, items: await listDemandHoldings(orm.em.fork(), page) });
  });
  router.get('/demand/daily-totals', async (req, res) => {
    const range = parseOrThrow(rangeSchema, req.query, 'query');
    const span = daysBetween(range.from, range.to);
    if (span < 0 || span >= MAX_RANGE_DAYS)
      throw new HttpError(400, 'VALIDATION_FAILED', `query.to must be 0–${MAX_RANGE_DAYS - 1} days after query.from`, [
        { field: 'query.to', message: `0–${MAX_RANGE_DAYS - 1} days after from` },
      ]);
    res.json({ ...range, days: await demandDailyTotals(orm.em.fork(), range) });
  });
  // Compared on request against XJP's demand statement of the date (the nightly run stores the same comparison).
  router.get('/demand/reconciliation/:date', async (req, res) => {
    const date = parseOrThrow(z.iso.date(), req.params.date, 'path.date');
    const em = orm.em.fork();
    const [statement, movements, income] = await Promise.all([
      xjp.demand.dailyStatement({ businessDate: date }),
      listDemandMovementsOn(em, date),
      listDemandIncomeOn(em, date),
    ]);
    const findings = reconcileDemandStatement(statement, { movements, income });
    res.json({ date, counts: countFindings(findings), findings });
  });
  return router;
}

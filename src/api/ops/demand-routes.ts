import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import { z } from 'zod';
import { demandDailyTotals, listDemandHoldings } from '../../db/repositories/demand';
import { daysBetween } from '../../domain/calendar';
import { HttpError, parseOrThrow } from '../http-error';

const pageSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
const rangeSchema = z.strictObject({ from: z.iso.date(), to: z.iso.date() });
/** A year and a bit per call: the totals are one row per day. */
const MAX_RANGE_DAYS = 400;

/** `/ops/demand/…`: every member's demand holding, and the income of each day across holdings. */
export function opsDemandRoutes({ orm }: { orm: MikroORM }): Router {
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
  return router;
}

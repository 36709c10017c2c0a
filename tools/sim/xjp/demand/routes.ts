import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { shanghaiDate } from '../../common/shanghai-time';
import { XjpRefusal } from '../store';
import type { DemandBook } from './book';
import { simDemandFigure } from './product';

const signed = { partnerId: z.string(), timestamp: z.string(), sign: z.string() };
const fen = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const productCode = z.string().min(1);
const instant = z.iso.datetime({ offset: true });

const productSchema = z.object({ ...signed, productCode });
const figureSchema = z.object({ ...signed, productCode, date: z.iso.date() });
const subscribeSchema = z.object({
  ...signed,
  requestId: z.string().min(1),
  subscriptionId: z.string().min(1),
  productCode,
  accountNo: z.string().min(1),
  amountFen: fen,
  requestedAt: instant,
});
const redeemSchema = z.object({
  ...signed,
  requestId: z.string().min(1),
  redemptionId: z.string().min(1),
  productCode,
  accountNo: z.string().min(1),
  amountFen: fen,
  kind: z.enum(['FAST', 'STANDARD']),
  requestedAt: instant,
});
const subscriptionQuerySchema = z.object({ ...signed, subscriptionId: z.string().min(1) });
const redemptionQuerySchema = z.object({ ...signed, redemptionId: z.string().min(1) });
const statementSchema = z.object({ ...signed, businessDate: z.iso.date() });

function answer<T>(schema: z.ZodType<T>, run: (body: T) => unknown): (req: Request, res: Response) => void {
  return (req, res) => {
    const parsed = schema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ code: 'INVALID_REQUEST', message: z.prettifyError(parsed.error) });
      return;
    }
    try {
      res.json({ code: 'SUCCESS', data: run(parsed.data) });
    } catch (error) {
      if (!(error instanceof XjpRefusal)) throw error;
      res.status(error.status).json({ code: error.code, message: error.message });
    }
  };
}

/**
 * XJP's signed demand-product API under `/api/demand`. Figures are answered for any date: the
 * engine asks for a day only after it has ended on its own clock, which tests run ahead of the
 * simulator's wall clock.
 */
export function xjpDemandRoutes(book: DemandBook): Router {
  const router = Router();
  router.post(
    '/demand/products/get',
    answer(productSchema, (b) => book.product(b.productCode)),
  );
  router.post(
    '/demand/figures',
    answer(figureSchema, (b) => ({ productCode: book.product(b.productCode).productCode, ...simDemandFigure(b.date) })),
  );
  router.post(
    '/demand/subscriptions',
    answer(subscribeSchema, (b) => book.subscribe(b)),
  );
  router.post(
    '/demand/subscriptions/query',
    answer(subscriptionQuerySchema, (b) => book.findSubscription(b.subscriptionId)),
  );
  router.post(
    '/demand/redemptions',
    answer(redeemSchema, (b) => book.redeem(b)),
  );
  router.post(
    '/demand/redemptions/query',
    answer(redemptionQuerySchema, (b) => book.findRedemption(b.redemptionId)),
  );
  router.post(
    '/demand/statements/daily',
    answer(statementSchema, ({ businessDate }) => ({
      businessDate,
      subscriptions: [...book.subscriptions.values()].filter(
        (s) => shanghaiDate(new Date(s.requestedAt)) === businessDate,
      ),
      redemptions: [...book.redemptions.values()].filter((r) => shanghaiDate(new Date(r.requestedAt)) === businessDate),
      income: book
        .holdings()
        .flatMap((h) =>
          book.incomeDays(h.accountNo, h.productCode, businessDate).filter((d) => d.date === businessDate),
        ),
    })),
  );
  return router;
}

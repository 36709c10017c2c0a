import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { shanghaiDate } from '../../common/shanghai-time';
import { XjpRefusal } from '../store';
import type { DemandBook, DemandSubscribeRequest, SimDemandSubscription } from './book';
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
const confirmSchema = z.object({
  ...signed,
  requestId: z.string().min(1),
  subscriptionId: z.string().min(1),
  paidAt: instant,
});
const expireSchema = z.object({ ...signed, requestId: z.string().min(1), subscriptionId: z.string().min(1) });
const subscriptionQuerySchema = z.object({ ...signed, subscriptionId: z.string().min(1) });
const redemptionQuerySchema = z.object({ ...signed, redemptionId: z.string().min(1) });
const statementSchema = z.object({ ...signed, businessDate: z.iso.date() });

function answer<T>(schema: z.ZodType<T>, run: (body: T) => unknown): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const parsed = schema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ code: 'INVALID_REQUEST', message: z.prettifyError(parsed.error) });
      return;
    }
    try {
      res.json({ code: 'SUCCESS', data: await run(parsed.data) });
    } catch (error) {
      if (!(error instanceof XjpRefusal)) throw error;
      res.status(error.status).json({ code: error.code, message: error.message });
    }
  };
}

/** What the demand routes need besides the book: LianLian's payment for a new subscription. */
export interface XjpDemandDeps {
  book: DemandBook;
  paymentWindowMinutes: number;
  /** Creates the subscription's payment at LianLian (idempotent there on the XJP number) and answers its cashier URL. */
  createPayment(subscription: SimDemandSubscription): Promise<string>;
}

/**
 * XJP's signed demand-product API under `/api/demand`. Figures are answered for any date: the
 * engine asks for a day only after it has ended on its own clock, which tests run ahead of the
 * simulator's wall clock. Dates come from the platform's times (`requestedAt`, `paidAt`) for the
 * same reason.
 */
export function xjpDemandRoutes({ book, paymentWindowMinutes, createPayment }: XjpDemandDeps): Router {
  const router = Router();
  // A subscription whose LianLian payment is being created; a concurrent duplicate waits for it.
  const inFlight = new Map<string, Promise<SimDemandSubscription>>();

  /** Idempotent on the platform's subscription id: a retry gets the first placement and the same cashier. */
  async function place(request: DemandSubscribeRequest): Promise<SimDemandSubscription> {
    const pending = inFlight.get(request.subscriptionId);
    if (pending !== undefined) return pending;
    const existing = book.subscriptions.get(request.subscriptionId);
    if (existing !== undefined) return existing;
    const placed = book.place(request, paymentWindowMinutes);
    const creation = createPayment(placed).then(
      (cashierUrl) => Object.assign(placed, { cashierUrl }),
      (error: unknown) => {
        book.drop(placed.subscriptionId);
        throw error;
      },
    );
    inFlight.set(request.subscriptionId, creation);
    try {
      return await creation;
    } finally {
      inFlight.delete(request.subscriptionId);
    }
  }

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
    answer(subscribeSchema, (b) => place(b)),
  );
  router.post(
    '/demand/subscriptions/confirm',
    answer(confirmSchema, (b) => book.confirm(b)),
  );
  router.post(
    '/demand/subscriptions/expire',
    answer(expireSchema, (b) => book.expire(b.subscriptionId)),
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
      // Subscriptions whose units count, by the day they were placed (the day the engine's row is dated).
      subscriptions: [...book.subscriptions.values()].filter(
        (s) => s.status === 'CONFIRMED' && shanghaiDate(new Date(s.requestedAt)) === businessDate,
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

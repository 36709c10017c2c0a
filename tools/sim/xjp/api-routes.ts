import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { DemandBook, SimDemandSubscription } from './demand/book';
import { isValidIdCardNo, isValidMobile } from './identity';
import { XjpRefusal, orderView, type SimOrder, type XjpStore } from './store';

const signed = { partnerId: z.string(), timestamp: z.string(), sign: z.string() };
const fen = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const productGetSchema = z
  .object({ ...signed, productId: z.string().min(1).optional(), productCode: z.string().min(1).optional() })
  .refine((b) => b.productId !== undefined || b.productCode !== undefined, {
    message: 'productId or productCode is required',
  });
const productListSchema = z.object({
  ...signed,
  page: z.number().int().min(1),
  size: z.number().int().min(1).max(100),
});
const accountOpenSchema = z.object({
  ...signed,
  requestId: z.string().min(1),
  channel: z.string().min(1),
  memberId: z.string().min(1),
  name: z.string().min(1),
  mobile: z.string(),
  idCardNo: z.string(),
  email: z.string().optional(),
});
const accountQuerySchema = z.object({ ...signed, accountNo: z.string().min(1) });
const subscribeSchema = z.object({
  ...signed,
  requestId: z.string().min(1),
  purchaseRecordId: z.string().min(1),
  productId: z.string().min(1),
  accountNo: z.string().min(1),
  amountFen: fen,
  fundedByXjpOrderNo: z.string().min(1).optional(),
});
const orderCallSchema = z.object({ ...signed, requestId: z.string().min(1), xjpOrderNo: z.string().min(1) });
const earlyRedemptionSchema = z.object({
  ...signed,
  requestId: z.string().min(1),
  xjpOrderNo: z.string().min(1),
  redemptionDate: z.iso.date(),
});
const paymentQuerySchema = z.object({ ...signed, xjpOrderNo: z.string().min(1) });

/** What the routes need besides the store: creating the LianLian payment for a new order. */
export interface XjpApiDeps {
  store: XjpStore;
  /** Demand subscriptions are paid at LianLian too: the payment query answers for them by XJP's number. */
  demand: DemandBook;
  createPayment(order: SimOrder): Promise<string>;
}

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

/**
 * A demand subscription's payment as the payment query answers it: PAID once money arrived (even
 * when XJP then refused the subscription), CANCELLED when its window closed unpaid (money paid
 * after that is not XJP's: the platform returns it).
 */
function demandPaymentView(s: SimDemandSubscription) {
  const payStatus = s.status === 'EXPIRED' ? 'CANCELLED' : s.payment === undefined ? 'UNPAID' : 'PAID';
  return {
    xjpOrderNo: s.xjpSubscriptionNo,
    payStatus,
    paidAt: s.payment?.receivedAt,
    paidAmountFen: s.payment?.paidAmountFen,
    lianlianBillNo: s.payment?.lianlianBillNo,
  };
}

/** XJP's signed API under `/api`. */
export function xjpApiRoutes({ store, demand, createPayment }: XjpApiDeps): Router {
  const router = Router();
  // A subscription whose LianLian payment is being created; a concurrent duplicate waits for it.
  const inFlight = new Map<string, Promise<SimOrder>>();

  router.post(
    '/products/get',
    answer(productGetSchema, (b) => store.productView(store.findListedProduct(b))),
  );

  router.post(
    '/products/home',
    answer(z.object(signed), () =>
      store
        .listedProducts()
        .filter((p) => p.onHome)
        .map((p) => store.productView(p)),
    ),
  );

  router.post(
    '/products/list',
    answer(productListSchema, ({ page, size }) => {
      const listed = store.listedProducts();
      const items = listed.slice((page - 1) * size, page * size).map((p) => store.productView(p));
      return { page, size, total: listed.length, items };
    }),
  );

  router.post(
    '/accounts/open',
    answer(accountOpenSchema, (b) => {
      if (!isValidIdCardNo(b.idCardNo))
        throw new XjpRefusal(422, 'INVALID_ID_CARD', 'ID card number fails the GB 11643 check');
      if (!isValidMobile(b.mobile)) throw new XjpRefusal(422, 'INVALID_MOBILE', 'not a mainland mobile number');
      const { account, created } = store.openAccount(b, new Date());
      return { accountNo: account.accountNo, memberId: account.memberId, accountName: account.accountName, created };
    }),
  );

  router.post(
    '/accounts/query',
    answer(accountQuerySchema, (b) => {
      const { accountNo, memberId, accountName } = store.findAccount(b.accountNo);
      return { accountNo, memberId, accountName };
    }),
  );

  router.post(
    '/subscriptions',
    answer(subscribeSchema, async (b) => {
      // Idempotent on purchaseRecordId: a retried request gets the first order, and no second quota lock.
      const pending = inFlight.get(b.purchaseRecordId);
      if (pending !== undefined) return orderView(await pending);
      const existing = store.orderForPurchaseRecord(b.purchaseRecordId);
      if (existing !== undefined) {
        if (!existing.requestIds.includes(b.requestId)) existing.requestIds.push(b.requestId);
        return orderView(existing);
      }
      const order = store.reserveSubscription(b, new Date());
      const creation = createPayment(order).then(
        (cashierUrl) => {
          order.cashierUrl = cashierUrl;
          return order;
        },
        (error: unknown) => {
          store.dropReservation(order);
          throw error;
        },
      );
      inFlight.set(b.purchaseRecordId, creation);
      try {
        return orderView(await creation);
      } finally {
        inFlight.delete(b.purchaseRecordId);
      }
    }),
  );

  router.post(
    '/subscriptions/cancel',
    answer(orderCallSchema, (b) => orderView(store.cancel(b.xjpOrderNo))),
  );

  router.post(
    '/payments/query',
    answer(paymentQuerySchema, (b) => {
      const subscription = demand.byXjpNo(b.xjpOrderNo);
      if (subscription !== undefined) return demandPaymentView(subscription);
      const order = store.findOrder(b.xjpOrderNo);
      const { xjpOrderNo, payStatus, paidAt, paidAmountFen, lianlianBillNo } = order;
      return { xjpOrderNo, payStatus, paidAt, paidAmountFen, lianlianBillNo };
    }),
  );

  router.post(
    '/redemptions',
    answer(orderCallSchema, (b) => store.redeem(b.xjpOrderNo, b.requestId, new Date())),
  );

  router.post(
    '/redemptions/early',
    answer(earlyRedemptionSchema, (b) => {
      const { early, ...redemption } = store.redeemEarly(b.xjpOrderNo, b.requestId, b.redemptionDate, new Date());
      return { ...redemption, redemptionDate: early?.redemptionDate ?? b.redemptionDate };
    }),
  );

  return router;
}

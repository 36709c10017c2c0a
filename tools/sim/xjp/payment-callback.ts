import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { withSignature } from '../../../src/partners/signing';
import type { Notifier } from '../common/notifier';
import { parseShanghaiTimestamp } from '../common/shanghai-time';
import { requireSignature, TIMESTAMP_WINDOW_MS } from '../common/signature-check';
import { yuanToFen } from '../common/yuan';
import type { DemandBook, SimDemandSubscription } from './demand/book';
import type { SimOrder, XjpStore } from './store';

/** Where LianLian posts payment results to this simulator. */
export const PAYMENT_CALLBACK_PATH = '/callbacks/lianlian/payment';

const paymentNotificationSchema = z.object({
  no_order: z.string().min(1),
  money_order: z.string(),
  oid_paybill: z.string().min(1),
  result_pay: z.string(),
});

/** What the callback needs: LianLian's key and XJP's, and where the engine listens. */
export interface PaymentCallbackDeps {
  store: XjpStore;
  demand: DemandBook;
  notifier: Notifier;
  lianlianOidPartner: string;
  lianlianPublicKeyPem: string;
  xjpPrivateKeyPem: string;
  engineNotifyUrl: string;
}

/** Receives LianLian's payment result, marks the order paid, and notifies the engine once per payment. */
export function paymentCallbackRoutes(deps: PaymentCallbackDeps): Router {
  const router = Router();
  router.post(
    PAYMENT_CALLBACK_PATH,
    requireSignature({
      publicKeyPem: (body) => (body.oid_partner === deps.lianlianOidPartner ? deps.lianlianPublicKeyPem : undefined),
      sentAt: (body) => (typeof body.timestamp === 'string' ? parseShanghaiTimestamp(body.timestamp) : undefined),
      windowMs: TIMESTAMP_WINDOW_MS,
      // Never `0000` for a notification we could not trust: LianLian must resend it.
      refuse: (res, refusal) =>
        res.json({ ret_code: refusal === 'STALE_TIMESTAMP' ? '1002' : '1001', ret_msg: refusal }),
    }),
    (req, res) => {
      const parsed = paymentNotificationSchema.safeParse(req.body);
      const paidAmountFen = parsed.success ? yuanToFen(parsed.data.money_order) : undefined;
      if (!parsed.success || paidAmountFen === undefined) {
        res.json({ ret_code: '1003', ret_msg: 'malformed notification' });
        return;
      }
      const { no_order: xjpOrderNo, oid_paybill: lianlianBillNo, result_pay: resultPay } = parsed.data;
      const now = new Date();
      const subscription = deps.demand.byXjpNo(xjpOrderNo);
      if (subscription !== undefined) {
        if (resultPay === 'SUCCESS' && deps.demand.markPaid(xjpOrderNo, { paidAmountFen, lianlianBillNo }, now))
          notifyEngine(deps, demandPaymentFields(subscription));
      } else if (resultPay === 'SUCCESS' && deps.store.markPaid(xjpOrderNo, { paidAmountFen, lianlianBillNo }, now)) {
        notifyEngine(deps, deps.store.findOrder(xjpOrderNo));
      }
      // A repeat of a payment already recorded is acknowledged without a second engine event.
      res.json({ ret_code: '0000', ret_msg: 'ok' });
    },
  );
  return router;
}

/** XJP's payment notification about a paid order, before its timestamp and signature are added. */
export function paymentNotificationFields(
  order: Pick<
    SimOrder,
    'purchaseRecordId' | 'xjpOrderId' | 'xjpOrderNo' | 'paidAmountFen' | 'paidAt' | 'lianlianBillNo'
  >,
  notificationId: string,
) {
  return {
    notificationId,
    purchaseRecordId: order.purchaseRecordId,
    xjpOrderId: order.xjpOrderId,
    xjpOrderNo: order.xjpOrderNo,
    payStatus: 'PAID',
    paidAmountFen: order.paidAmountFen,
    paidAt: order.paidAt,
    lianlianBillNo: order.lianlianBillNo,
  };
}

/** A paid demand subscription in the notification's shape: the platform's id and XJP's number as an order's. */
function demandPaymentFields(subscription: SimDemandSubscription): PaidOrder {
  return {
    purchaseRecordId: subscription.subscriptionId,
    xjpOrderId: subscription.xjpOrderId,
    xjpOrderNo: subscription.xjpSubscriptionNo,
    paidAmountFen: subscription.payment?.paidAmountFen,
    paidAt: subscription.payment?.receivedAt,
    lianlianBillNo: subscription.payment?.lianlianBillNo,
  };
}

type PaidOrder = Parameters<typeof paymentNotificationFields>[0];

/** Tells the engine of a payment, the same notification for an order and a demand subscription. */
function notifyEngine(deps: PaymentCallbackDeps, order: PaidOrder): void {
  const notificationId = `XN${randomUUID().replace(/-/g, '')}`;
  const event = paymentNotificationFields(order, notificationId);
  deps.notifier.send({
    notificationId,
    url: deps.engineNotifyUrl,
    subject: { xjpOrderNo: order.xjpOrderNo, purchaseRecordId: order.purchaseRecordId, payStatus: 'PAID' },
    build: (now) => withSignature({ ...event, timestamp: now.toISOString() }, deps.xjpPrivateKeyPem),
  });
}

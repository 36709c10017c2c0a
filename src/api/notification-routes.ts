import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import type { NotificationPartner, NotificationResult } from '../db/entities/partner-notification';
import { PayoutSchema } from '../db/entities/payout';
import { findDemandSubscription } from '../db/repositories/demand';
import { findDemandPayout } from '../db/repositories/demand-payouts';
import { findOrderByNo } from '../db/repositories/orders';
import { CLOSED_WITHOUT_MONEY } from '../domain/refund';
import type { PayoutNotification, RefundNotification } from '../partners/lianlian/schemas';
import { findRefund } from '../db/repositories/refunds';
import {
  LIANLIAN_ACK,
  verifyLianLianPayoutNotification,
  verifyLianLianRefundNotification,
  verifyXjpPaymentNotification,
  XJP_ACK,
} from '../partners/notifications';
import type { XjpPaymentNotification } from '../partners/xjp/schemas';
import { paymentNotifiedSignal, purchaseWorkflowId } from '../../workflows/purchase/contract';
import { demandPaymentNotifiedSignal, isDemandWorkflowId } from '../../workflows/demand/contract';
import {
  demandPayoutNotifiedSignal,
  demandPayoutWorkflowId,
  isDemandPayoutWorkflowId,
} from '../../workflows/demand-payout/contract';
import { payoutNotifiedSignal, payoutWorkflowId } from '../../workflows/payout/contract';
import { refundNotifiedSignal, refundWorkflowId } from '../../workflows/refund/contract';
import { notificationEndpoint, type NotificationMatch } from './notification-inbox';
import type { PurchaseWorkflows } from './purchase-workflows';
import { partnerRateLimit } from './rate-limits';

/** What the notification routes need. */
export interface NotificationRouteDeps {
  orm: MikroORM;
  workflows: PurchaseWorkflows;
  xjpPublicKeyPem: string;
  lianlianPublicKeyPem: string;
  /** Our merchant id at LianLian: a payout notification must name it. */
  lianlianOidPartner: string;
  /** Deliveries per minute per partner before 429. */
  perMinute: number;
  log(message: string, fields: Record<string, unknown>): void;
  count(partner: NotificationPartner, result: NotificationResult): void;
}

/** The names of the fields whose received value differs from ours; a value we have not learnt yet (null) is not compared. */
function differing(pairs: Record<string, [received: unknown, ours: unknown]>): string[] {
  return Object.entries(pairs)
    .filter(([, [received, ours]]) => ours !== null && received !== ours)
    .map(([field]) => field);
}

/**
 * `/notify/xjp/payment` and `/notify/lianlian/payout`: partner notifications relayed to workflows as
 * signals, once signed, fresh and matching what we sent. XJP's payment notification names a
 * purchase order, or a demand subscription (relayed to its holding's run); LianLian's payout notification
 * names an order's payout or a demand redemption's (relayed to the redemption's payout run). XJP's paid amount is not refused when it
 * differs: the investor paid it, and the workflow holds such an order for an operator.
 */
export function notificationRoutes(deps: NotificationRouteDeps): Router {
  const { orm, workflows, log } = deps;
  const router = Router();
  const handleOf = (orderNo: string) => workflows.client.workflow.getHandle(purchaseWorkflowId(orderNo));

  /** A demand subscription's payment goes to its holding's run; the notification names the subscription. */
  async function matchDemand(n: XjpPaymentNotification): Promise<NotificationMatch> {
    const subscription = await findDemandSubscription(orm.em.fork(), n.purchaseRecordId);
    if (subscription === undefined) return { runKey: null };
    return {
      runKey: subscription.holdingId,
      orderNo: subscription.id,
      mismatches: differing({ xjpOrderNo: [n.xjpOrderNo, subscription.xjpSubscriptionNo] }),
    };
  }

  async function matchXjp(n: XjpPaymentNotification): Promise<NotificationMatch> {
    const order = await findOrderByNo(orm.em.fork(), n.purchaseRecordId);
    if (order === null) return matchDemand(n);
    return {
      runKey: order.orderNo,
      orderNo: order.orderNo,
      mismatches: differing({
        xjpOrderNo: [n.xjpOrderNo, order.xjpOrderNo],
        xjpOrderId: [n.xjpOrderId, order.xjpOrderId],
      }),
    };
  }

  /** A demand redemption's payout goes to the redemption's payout run; the notification names the attempt. */
  async function matchDemandPayout(n: PayoutNotification): Promise<NotificationMatch> {
    const payout = await findDemandPayout(orm.em.fork(), n.payoutId);
    if (payout === null) return { runKey: null };
    const mismatches = differing({
      oid_partner: [n.oidPartner, deps.lianlianOidPartner],
      money_order: [n.amountFen, payout.amountFen],
      oid_paybill: [n.lianlianBillNo, payout.lianlianBillNo],
    });
    const redemptionId = payout.redemption.id;
    return { runKey: demandPayoutWorkflowId(redemptionId), orderNo: redemptionId, mismatches };
  }

  async function matchLianLian(n: PayoutNotification): Promise<NotificationMatch> {
    const payout = await orm.em.fork().findOne(PayoutSchema, { payoutNo: n.payoutId }, { populate: ['order'] });
    if (payout === null) return matchDemandPayout(n);
    const mismatches = differing({
      oid_partner: [n.oidPartner, deps.lianlianOidPartner],
      money_order: [n.amountFen, payout.totalFen],
      oid_paybill: [n.lianlianBillNo, payout.oidPaybill],
    });
    return { runKey: payout.order.orderNo, orderNo: payout.order.orderNo, mismatches };
  }

  async function matchRefund(n: RefundNotification): Promise<NotificationMatch> {
    const refund = await findRefund(orm.em.fork(), n.refundId);
    if (refund === null) return { runKey: null };
    const mismatches = differing({
      oid_partner: [n.oidPartner, deps.lianlianOidPartner],
      money_refund: [n.amountFen, refund.amountFen],
      oid_paybill: [n.paymentBillNo, refund.paymentBillNo],
      oid_refundno: [n.lianlianRefundNo, refund.lianlianRefundNo],
    });
    // The refund run is keyed by the payment's bill, which every refund row carries.
    return { runKey: refund.paymentBillNo, orderNo: refund.orderNo, mismatches };
  }

  /**
   * A payment no run takes goes back to the card it came from: at once when its order closed unpaid
   * (expired, cancelled, rejected), after finance's approval when we know no such order. A payment
   * to an order that kept its money (a late copy under a new id) is left to the operator's alert.
   */
  async function refundUnclaimedPayment(n: XjpPaymentNotification, orderNo: string | null): Promise<void> {
    const payment = { xjpOrderNo: n.xjpOrderNo, paymentBillNo: n.lianlianBillNo, amountFen: n.paidAmountFen };
    if (orderNo === null) {
      log('payment for an unknown order: its refund waits for finance', {
        alert: 'PAYMENT_FOR_UNKNOWN_ORDER',
        notificationId: n.notificationId,
        ...payment,
      });
      await workflows.startRefund({ orderNo: null, cause: 'UNKNOWN_ORDER', ...payment });
      return;
    }
    const order = await findOrderByNo(orm.em.fork(), orderNo);
    if (order === null || !CLOSED_WITHOUT_MONEY.has(order.status)) return;
    log('payment for a closed order: refunded', { alert: 'PAID_AFTER_CLOSE', orderNo, ...payment });
    await workflows.startRefund({ orderNo, cause: 'PAID_AFTER_CLOSE', ...payment });
  }

  router.post(
    '/xjp/payment',
    partnerRateLimit(deps.perMinute, 'XJP'),
    ...notificationEndpoint(orm, {
      partner: 'XJP',
      verify: (body, now) => verifyXjpPaymentNotification(body, { xjpPublicKeyPem: deps.xjpPublicKeyPem, now }),
      notificationId: (n) => n.notificationId,
      match: matchXjp,
      signal: (runKey, n) =>
        isDemandWorkflowId(runKey)
          ? workflows.client.workflow.getHandle(runKey).signal(demandPaymentNotifiedSignal, {
              notificationId: n.notificationId,
              subscriptionId: n.purchaseRecordId,
              xjpSubscriptionNo: n.xjpOrderNo,
              paymentBillNo: n.lianlianBillNo,
              paidAmountFen: n.paidAmountFen,
            })
          : handleOf(runKey).signal(paymentNotifiedSignal, {
              notificationId: n.notificationId,
              paidAt: n.paidAt,
              paidAmountFen: n.paidAmountFen,
            }),
      unclaimed: refundUnclaimedPayment,
      ack: XJP_ACK,
      nack: (reason) => ({ code: 'FAIL', message: reason }),
      log,
      count: (result) => deps.count('XJP', result),
    }),
  );

  router.post(
    '/lianlian/payout',
    partnerRateLimit(deps.perMinute, 'LIANLIAN'),
    ...notificationEndpoint(orm, {
      partner: 'LIANLIAN',
      verify: (body, now) =>
        verifyLianLianPayoutNotification(body, { lianlianPublicKeyPem: deps.lianlianPublicKeyPem, now }),
      notificationId: (n) => n.notificationId,
      match: matchLianLian,
      // Payout results go to the run that follows the payout: the order's payout run, or the demand redemption's.
      signal: (runKey, n) => {
        const notice = { notificationId: n.notificationId, payoutId: n.payoutId, resultPay: n.resultPay };
        return isDemandPayoutWorkflowId(runKey)
          ? workflows.client.workflow.getHandle(runKey).signal(demandPayoutNotifiedSignal, notice)
          : workflows.client.workflow.getHandle(payoutWorkflowId(runKey)).signal(payoutNotifiedSignal, notice);
      },
      ack: LIANLIAN_ACK,
      nack: (reason) => ({ ret_code: '9999', ret_msg: reason }),
      log,
      count: (result) => deps.count('LIANLIAN', result),
    }),
  );

  router.post(
    '/lianlian/refund',
    partnerRateLimit(deps.perMinute, 'LIANLIAN'),
    ...notificationEndpoint(orm, {
      partner: 'LIANLIAN',
      verify: (body, now) =>
        verifyLianLianRefundNotification(body, { lianlianPublicKeyPem: deps.lianlianPublicKeyPem, now }),
      notificationId: (n) => n.notificationId,
      match: matchRefund,
      signal: (paymentBillNo, n) =>
        workflows.client.workflow.getHandle(refundWorkflowId(paymentBillNo)).signal(refundNotifiedSignal, {
          notificationId: n.notificationId,
          refundId: n.refundId,
          state: n.state,
        }),
      ack: LIANLIAN_ACK,
      nack: (reason) => ({ ret_code: '9999', ret_msg: reason }),
      log,
      count: (result) => deps.count('LIANLIAN', result),
    }),
  );

  return router;
}

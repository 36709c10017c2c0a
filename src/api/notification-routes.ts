import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import { PayoutSchema } from '../db/entities/payout';
import { findOrderByNo } from '../db/repositories/orders';
import { LIANLIAN_ACK, verifyLianLianPayoutNotification, verifyXjpPaymentNotification, XJP_ACK } from '../partners/notifications';
import { paymentNotifiedSignal, purchaseWorkflowId } from '../../workflows/purchase/contract';
import { payoutNotifiedSignal } from '../../workflows/payout/contract';
import { notificationEndpoint } from './notification-inbox';
import type { PurchaseWorkflows } from './purchase-workflows';

/** What the notification routes need. */
export interface NotificationRouteDeps {
  orm: MikroORM;
  workflows: PurchaseWorkflows;
  xjpPublicKeyPem: string;
  lianlianPublicKeyPem: string;
  log(message: string, fields: Record<string, unknown>): void;
}

/** `/notify/xjp/payment` and `/notify/lianlian/payout`: partner notifications relayed to workflows as signals. */
export function notificationRoutes({ orm, workflows, xjpPublicKeyPem, lianlianPublicKeyPem, log }: NotificationRouteDeps): Router {
  const router = Router();
  const handleOf = (orderNo: string) => workflows.client.workflow.getHandle(purchaseWorkflowId(orderNo));

  router.post(
    '/xjp/payment',
    ...notificationEndpoint(orm, {
      partner: 'XJP',
      verify: (body, now) => verifyXjpPaymentNotification(body, { xjpPublicKeyPem, now }),
      notificationId: (n) => n.notificationId,
      findOrderNo: async (n) => (await findOrderByNo(orm.em.fork(), n.purchaseRecordId))?.orderNo ?? null,
      signal: (orderNo, n) =>
        handleOf(orderNo).signal(paymentNotifiedSignal, { notificationId: n.notificationId, paidAt: n.paidAt, paidAmountFen: n.paidAmountFen }),
      ack: XJP_ACK,
      nack: (reason) => ({ code: 'FAIL', message: reason }),
      log,
    }),
  );

  router.post(
    '/lianlian/payout',
    ...notificationEndpoint(orm, {
      partner: 'LIANLIAN',
      verify: (body, now) => verifyLianLianPayoutNotification(body, { lianlianPublicKeyPem, now }),
      notificationId: (n) => n.notificationId,
      findOrderNo: async (n) => {
        const payout = await orm.em.fork().findOne(PayoutSchema, { payoutNo: n.payoutId }, { populate: ['order'] });
        return payout?.order.orderNo ?? null;
      },
      signal: (orderNo, n) =>
        handleOf(orderNo).signal(payoutNotifiedSignal, { notificationId: n.notificationId, payoutId: n.payoutId, resultPay: n.resultPay }),
      ack: LIANLIAN_ACK,
      nack: (reason) => ({ ret_code: '9999', ret_msg: reason }),
      log,
    }),
  );

  return router;
}

import type { EntityManager } from '@mikro-orm/postgresql';
import type { PurchaseOrder } from '../../db/entities/purchase-order';
import { listAccruals } from '../../db/repositories/accruals';
import { listNotificationsForOrder } from '../../db/repositories/notifications';
import { findRedemption } from '../../db/repositories/redemptions';
import type { PayoutState } from '../../../workflows/payout/contract';
import type { PurchaseState } from '../../../workflows/purchase/contract';
import { purchaseView } from '../purchase-view';
import { maskRawBody } from './raw-body-mask';

/**
 * One order as an operator sees it: the investor's view (events, payouts) plus the accrual ledger's
 * summary, the redemption, every partner notification received for it, and what the workflow is
 * waiting for and the maturity instruction it will follow (null when the run cannot be asked, e.g. it has closed), the payout workflow's with its
 * park reason once the payout has begun.
 */
export async function orderDetail(
  em: EntityManager,
  order: PurchaseOrder,
  live: PurchaseState | null,
  payout: PayoutState | null,
) {
  const [view, accruals, redemption, notifications] = await Promise.all([
    purchaseView(em.fork(), order),
    listAccruals(em.fork(), order.orderNo),
    findRedemption(em.fork(), order.orderNo),
    listNotificationsForOrder(em.fork(), order.orderNo),
  ]);
  const last = accruals.at(-1);
  return {
    ...view,
    workflow:
      live === null
        ? null
        : {
            status: live.status,
            awaiting: live.awaiting,
            payoutAttempts: live.payoutAttempts,
            // The run holds the investor's latest instruction (given at purchase or changed since).
            maturityInstruction: live.maturityInstruction,
          },
    payoutWorkflow:
      payout === null
        ? null
        : {
            status: payout.status,
            awaiting: payout.awaiting,
            parkReason: payout.parkReason ?? null,
            payoutId: payout.payoutId ?? null,
            attempts: payout.attempts,
          },
    accruals: {
      daysPosted: accruals.length,
      accruedInterestFen: last?.cumulativeFen ?? 0,
      firstDate: accruals[0]?.accrualDate ?? null,
      lastDate: last?.accrualDate ?? null,
      expectedInterestFen: order.expectedInterestFen,
    },
    redemption:
      redemption === null
        ? null
        : {
            xjpRedemptionId: redemption.xjpRedemptionId,
            principalFen: redemption.principalFen,
            interestFen: redemption.interestFen,
            totalFen: redemption.totalFen,
            status: redemption.status,
            requestedAt: redemption.requestedAt.toISOString(),
            settledAt: redemption.settledAt?.toISOString() ?? null,
          },
    notifications: notifications.map((n) => ({
      partner: n.partner,
      notificationId: n.notificationId,
      result: n.result,
      signatureValid: n.signatureValid,
      receivedAt: n.receivedAt.toISOString(),
      processedAt: n.processedAt?.toISOString() ?? null,
      rawBody: maskRawBody(n.rawBody),
    })),
  };
}

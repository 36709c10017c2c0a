import type { EntityManager } from '@mikro-orm/postgresql';
import { PayoutSchema } from '../db/entities/payout';
import type { PurchaseOrder } from '../db/entities/purchase-order';
import { accruedInterestFen } from '../db/repositories/accruals';
import { listOrderEvents, termsOfOrder } from '../db/repositories/orders';

/** One order as `GET /v1/purchases/:orderNo` shows it: from PostgreSQL, personal data masked. */
export async function purchaseView(em: EntityManager, order: PurchaseOrder) {
  const [accrued, payouts, events] = await Promise.all([
    accruedInterestFen(em, order.orderNo),
    em.find(PayoutSchema, { order: order.id }, { orderBy: { attempt: 'asc' } }),
    listOrderEvents(em, order.orderNo),
  ]);
  const terms = termsOfOrder(order);
  return {
    orderNo: order.orderNo,
    memberId: order.memberId,
    status: order.status,
    rejectReason: order.rejectReason,
    product: {
      productId: terms.productId,
      productCode: terms.productCode,
      name: terms.productName,
      annualRate: terms.annualRate,
      term: terms.term,
      dayCountBasis: terms.dayCountBasis,
      payoutMode: terms.payoutMode,
    },
    amountFen: order.amountFen,
    investor: { name: order.investorNameMasked, bankCard: order.bankCardMasked },
    xjpOrderNo: order.xjpOrderNo,
    // Only while the investor can still pay: after payment (or expiry, cancellation) the cashier link is spent.
    ...(order.status === 'SUBSCRIBED'
      ? { paymentUrl: order.paymentUrl, payBefore: order.payBefore?.toISOString() ?? null }
      : {}),
    paidAt: order.paidAt?.toISOString() ?? null,
    interestStartDate: order.interestStartDate,
    maturityDate: order.maturityDate,
    expectedInterestFen: order.expectedInterestFen,
    accruedInterestFen: accrued,
    payouts: payouts.map((p) => ({
      payoutId: p.payoutNo,
      attempt: p.attempt,
      principalFen: p.principalFen,
      interestFen: p.interestFen,
      totalFen: p.totalFen,
      status: p.status,
      lianlianBillNo: p.oidPaybill,
      settledAt: p.settledAt?.toISOString() ?? null,
    })),
    events: events.map((e) => ({
      at: e.occurredAt.toISOString(),
      from: e.fromStatus,
      to: e.toStatus,
      cause: e.cause,
      actor: e.actor,
      actorRef: e.actorRef,
      detail: e.detail,
    })),
    createdAt: order.createdAt.toISOString(),
  };
}

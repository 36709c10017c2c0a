import type { EntityManager } from '@mikro-orm/postgresql';
import { PayoutSchema } from '../db/entities/payout';
import type { PurchaseOrder } from '../db/entities/purchase-order';
import { accruedInterestFen, ledgerInterestFen } from '../db/repositories/accruals';
import { findReinvestmentOf, listOrderEvents, termsOfOrder } from '../db/repositories/orders';
import { redemptionEntryAmounts } from '../db/repositories/redemption-entries';
import { findRedemption } from '../db/repositories/redemptions';

/** One order as `GET /v1/purchases/:orderNo` shows it: from PostgreSQL, personal data masked. */
export async function purchaseView(em: EntityManager, order: PurchaseOrder) {
  const [accrued, ledger, payouts, events, redemption, entries, next] = await Promise.all([
    accruedInterestFen(em.fork(), order.orderNo),
    ledgerInterestFen(em.fork(), order.orderNo),
    em.fork().find(PayoutSchema, { order: order.id }, { orderBy: { attempt: 'asc' } }),
    listOrderEvents(em.fork(), order.orderNo),
    findRedemption(em.fork(), order.orderNo),
    redemptionEntryAmounts(em.fork(), order.orderNo),
    findReinvestmentOf(em.fork(), order.orderNo),
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
      // What leaving costs: early redemption (offered or not, lock-in, penalty) and the service fee; null when not stated.
      earlyRedemption: terms.redemption?.earlyRedemption ?? null,
      serviceFee: terms.redemption?.serviceFee ?? null,
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
    // Accrued days plus corrections and an early redemption's reversal: the interest paid out.
    ledgerInterestFen: ledger,
    redemption:
      redemption === null
        ? null
        : {
            early: redemption.redemptionDate !== null,
            redemptionDate: redemption.redemptionDate,
            principalFen: redemption.principalFen,
            interestFen: redemption.interestFen,
            penaltyFen: redemption.penaltyFen,
            totalFen: redemption.totalFen,
            status: redemption.status,
          },
    // The redemption's own ledger rows: interest reversed (negative), fee on principal, service fee.
    redemptionEntries: {
      interestReversalFen: entries.INTEREST_REVERSAL,
      earlyRedemptionPenaltyFen: entries.EARLY_REDEMPTION_PENALTY,
      serviceFeeFen: entries.SERVICE_FEE,
    },
    payouts: payouts.map((p) => ({
      payoutId: p.payoutNo,
      attempt: p.attempt,
      principalFen: p.principalFen,
      interestFen: p.interestFen,
      deductionsFen: p.deductionsFen,
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
    // The chain of reinvested orders (续投): the order whose redeemed funds bought this one, and the
    // order this one's funds went into (a reinvestment XJP refused is no link: its fallback is in the events).
    previousOrderNo: order.previousOrderNo ?? null,
    nextOrderNo: next === null || next.status === 'REJECTED' ? null : next.orderNo,
    createdAt: order.createdAt.toISOString(),
  };
}

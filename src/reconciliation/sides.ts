import { isOrderStatus, type OrderStatus } from '../domain/order-status';
import type { OurRecord, PartnerRecord } from './match';

/** XJP's pay status words on its statement. */
export type XjpStatementPayStatus = 'UNPAID' | 'PAID' | 'CANCELLED';

/** The pay status XJP should report for an order in this state of ours. */
export function expectedXjpPayStatus(status: OrderStatus): XjpStatementPayStatus {
  switch (status) {
    case 'CREATED':
    case 'SUBSCRIBED':
      return 'UNPAID';
    case 'PAID':
    case 'ACCRUING':
    case 'MATURED':
    case 'PAYING_OUT':
    case 'COMPLETED':
    case 'PAYOUT_FAILED':
      return 'PAID';
    // Each of these ends cancels the subscription at XJP (quota released).
    case 'REJECTED':
    case 'EXPIRED':
    case 'CANCELLED':
      return 'CANCELLED';
  }
}

/** XJP side: our order status, translated, must equal XJP's pay status. */
export function xjpStatusAgrees(ours: OurRecord, theirs: PartnerRecord): boolean {
  return isOrderStatus(ours.status) && expectedXjpPayStatus(ours.status) === theirs.status;
}

/**
 * LianLian side: our payout status must be LianLian's `result_pay` exactly (we store LianLian's own
 * words); PENDING — we never heard back — disagrees with anything LianLian reports.
 */
export function lianLianStatusAgrees(ours: OurRecord, theirs: PartnerRecord): boolean {
  return ours.status === theirs.status;
}

/** Redemptions: XJP's statement lists settlements only, so ours must be SETTLED too (REQUESTED: we never heard XJP settle it). */
export function redemptionStatusAgrees(ours: OurRecord, theirs: PartnerRecord): boolean {
  return ours.status === theirs.status;
}

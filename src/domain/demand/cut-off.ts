import { shanghaiDate } from '../calendar';
import { isBusinessDay, nextBusinessDay } from './business-days';

/** The daily cut-off (日切), 15:00 Asia/Shanghai: a request at or after it belongs to the next business day. */
export const DEMAND_CUT_OFF_HOUR = 15;

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** How a fast (T+0) or standard (T+1) redemption is paid. */
export type RedemptionKind = 'FAST' | 'STANDARD';

/**
 * The trade date (T) of a request at `instant`: its Shanghai date when that is a business day and
 * the request came before the cut-off, otherwise the next business day (weekend and holiday
 * requests wait for the next business day, as after-cut-off ones do).
 */
export function tradeDate(instant: Date): string {
  const date = shanghaiDate(instant);
  const shanghaiHour = Math.floor(((instant.getTime() + SHANGHAI_OFFSET_MS) % (24 * HOUR_MS)) / HOUR_MS);
  return isBusinessDay(date) && shanghaiHour < DEMAND_CUT_OFF_HOUR ? date : nextBusinessDay(date);
}

/** When a subscription's money starts earning: the business day after its trade date. */
export interface SubscriptionDates {
  tradeDate: string;
  /** The first day whose income the money earns. */
  countsFrom: string;
}

/** Before the cut-off on a business day: counts from the next business day; after it, the one after. */
export function subscriptionDates(requestedAt: Date): SubscriptionDates {
  const trade = tradeDate(requestedAt);
  return { tradeDate: trade, countsFrom: nextBusinessDay(trade) };
}

/** When redeemed units stop earning and when the money reaches the member. */
export interface RedemptionDates {
  /** The first day the redeemed units earn nothing. */
  effectiveDate: string;
  /** The Shanghai date XJP pays the member. */
  payDate: string;
}

/**
 * Fast (T+0): the units leave the day they are asked for and the money is paid at once. Standard
 * (T+1): the units earn until the trade date and the money arrives the next business day.
 */
export function redemptionDates(kind: RedemptionKind, requestedAt: Date): RedemptionDates {
  if (kind === 'FAST') {
    const today = shanghaiDate(requestedAt);
    return { effectiveDate: today, payDate: today };
  }
  const trade = tradeDate(requestedAt);
  return { effectiveDate: trade, payDate: nextBusinessDay(trade) };
}

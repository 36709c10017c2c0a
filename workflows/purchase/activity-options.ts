/** The purchase workflow's activity proxies, one per kind of call, each with its reason. */
import { proxyActivities } from '@temporalio/workflow';
import type { PurchaseActivities } from '../../activities/purchase';

/** Partner calls: retried with backoff while the partner is down; idempotent on our request ids. */
export const partner = proxyActivities<PurchaseActivities>({
  startToCloseTimeout: '30 seconds',
  // A partner outage longer than this ends the order (REJECTED) rather than leaving it hanging unseen.
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

/** Ledger writes: PostgreSQL only, so quick; retried until the database answers. */
export const ledger = proxyActivities<PurchaseActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Redemption at maturity: retried until XJP answers. The investor's money is already in, so an
 * outage only delays the payout; a time budget here would fail the whole workflow instead.
 */
export const redemption = proxyActivities<PurchaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

/**
 * Reinvestment at maturity (续投): writes the new order and waits for its run's subscription answer
 * (XJP's own retries included), so the attempt may take a while; retried until it answers, as the
 * redeemed money is in and only waits for where it goes.
 */
export const reinvestment = proxyActivities<PurchaseActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

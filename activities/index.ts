import { createAccrualActivities } from './accrual';
import { createDemandActivities } from './demand';
import { createDemandPayoutActivities } from './demand-payout';
import type { ActivityDependencies } from './dependencies';
import { createMissingRunActivities } from './missing-runs';
import { createPayoutActivities } from './payout';
import { createPurchaseActivities } from './purchase';
import { createReconciliationActivities } from './reconciliation';
import { createRefundActivities } from './refund';
import { createWebhookActivities } from './webhooks';

export type { AccrualActivities } from './accrual';
export type { ActivityDependencies } from './dependencies';
export type { DemandActivities } from './demand';
export type { DemandPayoutActivities } from './demand-payout';
export type { MissingRunActivities } from './missing-runs';
export type { PayoutActivities } from './payout';
export type { PurchaseActivities } from './purchase';
export type { ReconciliationActivities } from './reconciliation';
export type { RefundActivities } from './refund';
export type { WebhookActivities } from './webhooks';

/** Every activity a worker registers: the purchase, payout, refund, reconciliation, accrual-posting, missing-run sweep, webhook dispatch and demand holding and demand payout workflows' together. */
export function createWorkerActivities(deps: ActivityDependencies) {
  return {
    ...createPurchaseActivities(deps),
    ...createPayoutActivities(deps),
    ...createRefundActivities(deps),
    ...createReconciliationActivities(deps),
    ...createMissingRunActivities(deps),
    ...createAccrualActivities(deps),
    ...createWebhookActivities(deps),
    ...createDemandActivities(deps),
    ...createDemandPayoutActivities(deps),
  };
}

/** What a worker is given to register. */
export type WorkerActivities = ReturnType<typeof createWorkerActivities>;

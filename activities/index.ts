import type { ActivityDependencies } from './dependencies';
import { createPayoutActivities } from './payout';
import { createPurchaseActivities } from './purchase';
import { createReconciliationActivities } from './reconciliation';

export type { ActivityDependencies } from './dependencies';
export type { PayoutActivities } from './payout';
export type { PurchaseActivities } from './purchase';
export type { ReconciliationActivities } from './reconciliation';

/** Every activity a worker registers: the purchase, payout and reconciliation workflows' together. */
export function createWorkerActivities(deps: ActivityDependencies) {
  return {
    ...createPurchaseActivities(deps),
    ...createPayoutActivities(deps),
    ...createReconciliationActivities(deps),
  };
}

/** What a worker is given to register. */
export type WorkerActivities = ReturnType<typeof createWorkerActivities>;

import type { ActivityDependencies } from './dependencies';
import { createOrderActivities } from './order-activities';
import { createPayoutActivities } from './payout-activities';
import { createReconciliationActivities } from './reconciliation-activities';
import { createXjpActivities } from './xjp-activities';

export type { ActivityDependencies } from './dependencies';

/** Every activity of the purchase workflow, built from its dependencies. */
export function createPurchaseActivities(deps: ActivityDependencies) {
  return {
    ...createOrderActivities(deps),
    ...createXjpActivities(deps),
    ...createPayoutActivities(deps),
    ...createReconciliationActivities(deps),
  };
}

/** The activity interface the workflows proxy (imported there as a type only). */
export type PurchaseActivities = ReturnType<typeof createPurchaseActivities>;

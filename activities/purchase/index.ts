import type { ActivityDependencies } from '../dependencies';
import { createOrderActivities } from './order-activities';
import { createRedemptionActivities } from './redemption-activities';
import { createReinvestmentActivities } from './reinvestment-activities';
import { createXjpActivities } from './xjp-activities';

/** The purchase workflow's activities: its order records, its calls to XJP, its redemption books and its reinvestment. */
export function createPurchaseActivities(deps: ActivityDependencies) {
  return {
    ...createOrderActivities(deps),
    ...createXjpActivities(deps),
    ...createRedemptionActivities(deps),
    ...createReinvestmentActivities(deps),
  };
}

/** The activity interface the purchase workflow proxies (imported there as a type only). */
export type PurchaseActivities = ReturnType<typeof createPurchaseActivities>;

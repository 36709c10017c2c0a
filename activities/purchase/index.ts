import type { ActivityDependencies } from '../dependencies';
import { createOrderActivities } from './order-activities';
import { createXjpActivities } from './xjp-activities';

/** The purchase workflow's activities: its order records and its calls to XJP. */
export function createPurchaseActivities(deps: ActivityDependencies) {
  return { ...createOrderActivities(deps), ...createXjpActivities(deps) };
}

/** The activity interface the purchase workflow proxies (imported there as a type only). */
export type PurchaseActivities = ReturnType<typeof createPurchaseActivities>;

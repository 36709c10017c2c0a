import type { ActivityDependencies } from '../dependencies';
import { createOrderActivities } from '../purchase/order-activities';
import { createPayoutActivities as createLianLianPayoutActivities } from './payout-activities';

/** Every activity the payout workflow calls: LianLian, the payout rows, and the order's status and audit trail. */
export function createPayoutActivities(deps: ActivityDependencies) {
  const { recordTransition, recordAlert } = createOrderActivities(deps);
  return { ...createLianLianPayoutActivities(deps), recordTransition, recordAlert };
}

/** The activity interface the payout workflow proxies (imported there as a type only). */
export type PayoutActivities = ReturnType<typeof createPayoutActivities>;

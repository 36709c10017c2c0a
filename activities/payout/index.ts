import { createPayoutActivities } from './payout-activities';

export { createPayoutActivities };

/** The activity interface the payout stage proxies (imported there as a type only). */
export type PayoutActivities = ReturnType<typeof createPayoutActivities>;

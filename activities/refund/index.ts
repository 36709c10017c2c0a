import { createRefundActivities } from './refund-activities';

export { createRefundActivities };

/** The activity interface the refund workflow proxies (imported there as a type only). */
export type RefundActivities = ReturnType<typeof createRefundActivities>;

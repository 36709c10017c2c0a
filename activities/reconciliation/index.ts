import { createReconciliationActivities } from './reconciliation-activities';

export { createReconciliationActivities };

/** The activity interface the reconciliation workflow proxies (imported there as a type only). */
export type ReconciliationActivities = ReturnType<typeof createReconciliationActivities>;

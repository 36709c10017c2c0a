import { proxyActivities } from '@temporalio/workflow';
import type { DemandActivities } from '../../activities/demand';

/** XJP calls and row writes take seconds; a partner outage is retried for as long as it lasts. */
export const activities = proxyActivities<DemandActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

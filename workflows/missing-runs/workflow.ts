import { proxyActivities } from '@temporalio/workflow';
import type { MissingRunActivities, MissingRunSweepResult } from '../../activities/missing-runs';
import type { MissingRunSweepInput } from './contract';

/** The API's start of a run may have been lost for good: the default age leaves it ample time to finish on its own. */
const DEFAULT_OLDER_THAN_SECONDS = 120;

const { startMissingPurchaseRuns } = proxyActivities<MissingRunActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

/** One sweep: every order CREATED long enough ago without a run gets its run. */
export async function missingRunSweepWorkflow(input: MissingRunSweepInput = {}): Promise<MissingRunSweepResult> {
  return startMissingPurchaseRuns({ olderThanSeconds: input.olderThanSeconds ?? DEFAULT_OLDER_THAN_SECONDS });
}

/**
 * The missing-run sweep's contract: its ids and its answer. The API writes an order row and then
 * starts its run; when the start never happens (Temporal down, the API killed in between) the sweep
 * starts it, so no order stays without a run.
 */

/** The workflow type name the worker registers. */
export const MISSING_RUN_SWEEP_WORKFLOW_TYPE = 'missingRunSweepWorkflow';

/** The Temporal Schedule that sweeps every minute. */
export const MISSING_RUN_SWEEP_SCHEDULE_ID = 'missing-run-sweep';

/** What one sweep looks at. */
export interface MissingRunSweepInput {
  /** Only orders CREATED at least this long ago: a younger one may still be starting in the API. Default 120. */
  olderThanSeconds?: number;
}

export type { MissingRunSweepResult } from '../../activities/missing-runs';

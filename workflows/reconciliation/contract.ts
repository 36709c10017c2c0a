/**
 * The reconciliation workflow's contract: ids, input and output, the schedule's defaults. Pure and
 * deterministic, so the workflow, the API and the schedule registration share it.
 */
import { addDays, shanghaiDate } from '../../src/domain/calendar';
import type { ReconciliationSummary } from '../../src/reconciliation/findings';

export type { ReconciliationSummary };

/** The workflow type name the worker registers. */
export const RECONCILIATION_WORKFLOW_TYPE = 'reconciliationWorkflow';

/** One business date = one workflow id, so an operator's second "run" joins the one in flight. */
export function reconciliationWorkflowId(businessDate: string): string {
  return `reconciliation-${businessDate}`;
}

/** The Temporal Schedule that reconciles yesterday every night. */
export const RECONCILIATION_SCHEDULE_ID = 'daily-reconciliation';

/** What starts a run; the schedule passes no date, meaning "yesterday" in Asia/Shanghai. */
export interface ReconciliationInput {
  /** `YYYY-MM-DD`, Asia/Shanghai. */
  businessDate?: string;
}

/** The business date a run at `instant` reconciles by default: the Shanghai day before. */
export function previousBusinessDate(instant: Date): string {
  return addDays(shanghaiDate(instant), -1);
}

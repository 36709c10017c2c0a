/**
 * The end-of-day accrual batch's contract: its ids, input and answer. The Schedule starts it every
 * night after midnight in Asia/Shanghai; it posts the day that just ended for every accruing order.
 */
import { addDays, shanghaiDate } from '../../src/domain/calendar';

export type { AccrualDayResult } from '../../activities/accrual';

/** The workflow type name the worker registers. */
export const ACCRUAL_POSTING_WORKFLOW_TYPE = 'accrualPostingWorkflow';

/** The Temporal Schedule that posts each ended day. */
export const ACCRUAL_POSTING_SCHEDULE_ID = 'daily-accrual-posting';

/** What starts a run; the schedule passes no date, meaning the Shanghai day that ended before the run was due. */
export interface AccrualPostingInput {
  /** `YYYY-MM-DD`, Asia/Shanghai: an operator re-posting a missed night names it. */
  accrualDate?: string;
}

/** The accrual day a run due at `instant` posts by default: the Shanghai day before. */
export function endedAccrualDate(instant: Date): string {
  return addDays(shanghaiDate(instant), -1);
}

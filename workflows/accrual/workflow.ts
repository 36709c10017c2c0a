import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { AccrualActivities } from '../../activities/accrual';
import { isCalendarDate } from '../../src/domain/calendar';
import { dueTime } from '../shared/due-time';
import { type AccrualDayResult, type AccrualPostingInput, endedAccrualDate } from './contract';

/**
 * One set-based pass over every accruing order: minutes at most, heartbeating per chunk so a lost
 * worker is noticed within a minute and the retry resumes after the last chunk done.
 */
const { postAccrualDay } = proxyActivities<AccrualActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * The end-of-day accrual batch (日终计息): posts one ended Shanghai day to the ledger for every
 * ACCRUING order, without a date the day before the run was due. Each purchase run settles its own
 * ledger at maturity, so a night this misses delays that order's days, never loses them.
 */
export async function accrualPostingWorkflow(input: AccrualPostingInput = {}): Promise<AccrualDayResult> {
  const accrualDate = input.accrualDate ?? endedAccrualDate(dueTime());
  if (!isCalendarDate(accrualDate)) {
    throw ApplicationFailure.nonRetryable(`not an accrual date: ${accrualDate}`, 'INVALID_ACCRUAL_DATE');
  }
  return postAccrualDay.executeWithOptions({ summary: `post accrual day ${accrualDate}` }, [{ accrualDate }]);
}

/** The nightly accrual batch in tests: the time-skipping server runs no Schedule, so a test runs the nights itself. */
import { randomUUID } from 'node:crypto';
import { addDays } from '../../src/domain/calendar';
import { ACCRUAL_POSTING_WORKFLOW_TYPE, type AccrualDayResult } from '../../workflows/accrual/contract';
import type { accrualPostingWorkflow } from '../../workflows/accrual/workflow';
import { PURCHASE_TASK_QUEUE } from '../../workflows/purchase/contract';
import type { TestEngine } from './engine';

/** Runs the accrual batch for each Shanghai day from `from` through `through` (ended days only), in order. */
export async function postAccrualNights(
  engine: TestEngine,
  from: string,
  through: string,
): Promise<AccrualDayResult[]> {
  const nights: AccrualDayResult[] = [];
  for (let accrualDate = from; accrualDate <= through; accrualDate = addDays(accrualDate, 1)) {
    nights.push(
      await engine.client.workflow.execute<typeof accrualPostingWorkflow>(ACCRUAL_POSTING_WORKFLOW_TYPE, {
        taskQueue: PURCHASE_TASK_QUEUE,
        workflowId: `accrual-posting-${accrualDate}-${randomUUID()}`,
        args: [{ accrualDate }],
      }),
    );
  }
  return nights;
}

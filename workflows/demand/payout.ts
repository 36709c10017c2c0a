/**
 * Money out of a demand holding: XJP settles an accepted redemption to the platform, and the
 * redemption's own payout run (a child that outlives the holding's run) pays the member's card
 * through LianLian on the pay date.
 */
import { ParentClosePolicy, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { demandPayoutWorkflowId, type DemandPayoutInput } from '../demand-payout/contract';
import { demandPayoutWorkflow } from '../demand-payout/workflow';

/** Starts the redemption's payout run; never twice for one redemption (its id is the redemption's). */
export async function startPayout(payout: DemandPayoutInput): Promise<void> {
  try {
    await startChild(demandPayoutWorkflow, {
      workflowId: demandPayoutWorkflowId(payout.redemptionId),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      staticSummary: `pay out ${payout.amountFen} fen of demand redemption ${payout.redemptionId} on ${payout.payDate}`,
      args: [payout],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

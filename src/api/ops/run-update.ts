import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { updateRefusal } from '../purchase-workflows';

/** Sends an operator's action to a run as an Update: 409 WRONG_STATE when the run has ended (`ended` says so) or its validator refuses it. */
export async function updateRun<Result, Arg>(
  temporal: Client,
  workflowId: string,
  update: UpdateDefinition<Result, [Arg]>,
  arg: Arg,
  ended: string,
): Promise<Result> {
  try {
    return await temporal.workflow.getHandle(workflowId).executeUpdate(update, { args: [arg] });
  } catch (err) {
    throw updateRefusal(err, ended) ?? err;
  }
}

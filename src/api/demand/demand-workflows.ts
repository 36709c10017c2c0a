import { createHash } from 'node:crypto';
import { type Client, WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import {
  DEMAND_HOLDING_WORKFLOW_TYPE,
  demandHoldingQuery,
  demandRedeemUpdate,
  demandSubscribeUpdate,
  demandWorkflowId,
  type DemandHoldingInput,
  type DemandHoldingState,
  type DemandRedeemRequest,
  type DemandRedemptionAnswer,
  type DemandSubscribeRequest,
  type DemandSubscriptionAnswer,
} from '../../../workflows/demand/contract';
import type { demandHoldingWorkflow } from '../../../workflows/demand/workflow';
import { HttpError } from '../http-error';

/** A request id both XJP and Temporal deduplicate on: the member's Idempotency-Key, hashed with the member. */
export function demandRequestId(prefix: 'hqs' | 'hqr', memberId: string, idempotencyKey: string): string {
  return `${prefix}_${createHash('sha256').update(`${memberId}\n${idempotencyKey}`).digest('hex').slice(0, 32)}`;
}

/** 409 with the holding's or XJP's refusal code; undefined for any other failure. */
function refusal(err: unknown): HttpError | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure)
    return new HttpError(409, err.cause.type ?? 'DEMAND_REFUSED', err.cause.message);
  if (err instanceof WorkflowNotFoundError)
    return new HttpError(409, 'DEMAND_NO_HOLDING', 'no holding of this product: subscribe first');
  return undefined;
}

/** The demand holding runs as the API drives them. */
export interface DemandWorkflows {
  /** Starts the holding's run when it has none, and subscribes through it. */
  subscribe(
    input: Omit<DemandHoldingInput, 'carried'>,
    request: DemandSubscribeRequest,
  ): Promise<DemandSubscriptionAnswer>;
  redeem(memberId: string, productCode: string, request: DemandRedeemRequest): Promise<DemandRedemptionAnswer>;
  /** The live holding, or undefined when the member has no run for the product. */
  holding(memberId: string, productCode: string): Promise<DemandHoldingState | undefined>;
}

/** Demand calls over a Temporal client. */
export function demandWorkflows(client: Client, taskQueue: string): DemandWorkflows {
  return {
    async subscribe(input, request) {
      const startWorkflowOperation = new WithStartWorkflowOperation<typeof demandHoldingWorkflow>(
        DEMAND_HOLDING_WORKFLOW_TYPE,
        {
          workflowId: demandWorkflowId(input.memberId, input.productCode),
          taskQueue,
          args: [input],
          // The holding lives on; a second subscription joins the running entity.
          workflowIdConflictPolicy: 'USE_EXISTING',
          staticSummary: `demand holding ${input.productCode} of ${input.memberId}`,
        },
      );
      try {
        return await client.workflow.executeUpdateWithStart(demandSubscribeUpdate, {
          args: [request],
          updateId: request.subscriptionId,
          startWorkflowOperation,
        });
      } catch (err) {
        throw refusal(err) ?? err;
      }
    },
    async redeem(memberId, productCode, request) {
      try {
        return await client.workflow
          .getHandle(demandWorkflowId(memberId, productCode))
          .executeUpdate(demandRedeemUpdate, { args: [request], updateId: request.redemptionId });
      } catch (err) {
        throw refusal(err) ?? err;
      }
    },
    async holding(memberId, productCode) {
      try {
        return await client.workflow.getHandle(demandWorkflowId(memberId, productCode)).query(demandHoldingQuery);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      }
    },
  };
}

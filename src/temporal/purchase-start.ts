import { type Client, WithStartWorkflowOperation, type WorkflowStartOptions } from '@temporalio/client';
import type { PurchaseStarter } from '../../activities/dependencies';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { formatFen } from '../domain/money';
import type { purchaseWorkflow } from '../../workflows/purchase/workflow';
import {
  type PurchaseInput,
  purchaseWorkflowId,
  searchAttributes,
  subscriptionOutcomeUpdate,
} from '../../workflows/purchase/contract';

/**
 * How every purchase run is started, by the API or by the sweep that starts runs the API could not:
 * one id per order number, never reused once the run has ended, readable in the Web UI.
 */
export function purchaseStartOptions(
  input: PurchaseInput,
  taskQueue: string,
): WorkflowStartOptions<typeof purchaseWorkflow> {
  const { terms } = input.product;
  return {
    workflowId: purchaseWorkflowId(input.orderNo),
    taskQueue,
    // An ended order is never started again: its row says how it ended.
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [input],
    staticSummary: `${input.orderNo}: ${terms.productName} (${terms.productCode}), ${formatFen(input.amountFen)}`,
    staticDetails: `member ${input.memberId} · product ${terms.productId} · ${terms.term.value} ${terms.term.unit} at ${terms.annualRate} · payout ${terms.payoutMode}`,
    typedSearchAttributes: [
      { key: searchAttributes.orderNo, value: input.orderNo },
      { key: searchAttributes.memberId, value: input.memberId },
      { key: searchAttributes.productId, value: terms.productId },
      { key: searchAttributes.status, value: 'CREATED' },
      ...(input.reinvestmentOf === undefined
        ? []
        : [{ key: searchAttributes.previousOrderNo, value: input.reinvestmentOf.orderNo }]),
    ],
  };
}

/** A starter on one client and task queue, giving runs the payment window the API gives them. */
export function purchaseStarter(client: Client, taskQueue: string, paymentWindowMs: number): PurchaseStarter {
  return {
    async hasRun(orderNo) {
      try {
        await client.workflow.getHandle(purchaseWorkflowId(orderNo)).describe();
        return true;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    },
    async start(order) {
      try {
        const input: PurchaseInput = { ...order, paymentWindowMs };
        await client.workflow.start<typeof purchaseWorkflow>(
          'purchaseWorkflow',
          purchaseStartOptions(input, taskQueue),
        );
        return true;
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
        throw err;
      }
    },
    async startReinvestment(order) {
      const input: PurchaseInput = { ...order, paymentWindowMs };
      const startWorkflowOperation = new WithStartWorkflowOperation<typeof purchaseWorkflow>('purchaseWorkflow', {
        ...purchaseStartOptions(input, taskQueue),
        // A retried activity attaches to the run its first attempt started: one new order, one run.
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      try {
        const state = await client.workflow.executeUpdateWithStart(subscriptionOutcomeUpdate, {
          startWorkflowOperation,
        });
        return state.status;
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return undefined;
        throw err;
      }
    },
  };
}

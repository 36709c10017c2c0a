import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { setTimeout as delay } from 'node:timers/promises';
import type { PurchaseOrder } from '../db/entities/purchase-order';
import type { purchaseWorkflow } from '../../workflows/purchase/workflow';
import {
  type PurchaseState,
  purchaseStateQuery,
  purchaseWorkflowId,
  searchAttributes,
} from '../../workflows/purchase/contract';

/** How long `POST /v1/purchases` waits for XJP's subscription before answering 202 instead. */
const SUBSCRIPTION_WAIT_MS = 20_000;
/** How often it asks the workflow meanwhile. */
const POLL_INTERVAL_MS = 100;

/** The API's handle on purchase workflows: start (idempotently), query, signal. */
export interface PurchaseWorkflows {
  /** Starts the order's workflow; an already running one (a retried request) is left as it is. */
  ensureStarted(order: PurchaseOrder, channel: string): Promise<void>;
  /** Waits until the order has left CREATED (subscribed, refused, or held for review), or the wait ends. */
  waitPastCreation(orderNo: string): Promise<PurchaseState>;
  state(orderNo: string): Promise<PurchaseState>;
  client: Client;
}

/** Builds the API's workflow handle on one task queue. */
export function purchaseWorkflows(client: Client, taskQueue: string, paymentWindowMs: number): PurchaseWorkflows {
  async function state(orderNo: string): Promise<PurchaseState> {
    return client.workflow.getHandle(purchaseWorkflowId(orderNo)).query(purchaseStateQuery);
  }

  return {
    client,
    state,
    async ensureStarted(order, channel) {
      try {
        await client.workflow.start<typeof purchaseWorkflow>('purchaseWorkflow', {
          workflowId: purchaseWorkflowId(order.orderNo),
          taskQueue,
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          args: [{ orderNo: order.orderNo, memberId: order.memberId, productId: order.productId, amountFen: order.amountFen, channel, paymentWindowMs }],
          typedSearchAttributes: [
            { key: searchAttributes.orderNo, value: order.orderNo },
            { key: searchAttributes.memberId, value: order.memberId },
            { key: searchAttributes.productId, value: order.productId },
            { key: searchAttributes.status, value: 'CREATED' },
          ],
        });
      } catch (err) {
        // A retried request after a crash between the order row and the start: the run exists, carry on.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },
    async waitPastCreation(orderNo) {
      const deadline = Date.now() + SUBSCRIPTION_WAIT_MS;
      for (;;) {
        const current = await state(orderNo);
        if (current.status !== 'CREATED' || current.awaiting === 'OPERATOR_REVIEW' || Date.now() >= deadline) return current;
        await delay(POLL_INTERVAL_MS);
      }
    },
  };
}

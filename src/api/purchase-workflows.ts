import {
  type Client,
  isGrpcServiceError,
  ServiceError,
  WithStartWorkflowOperation,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type UpdateDefinition,
} from '@temporalio/common';
import { purchaseStartOptions } from '../temporal/purchase-start';
import type { purchaseWorkflow } from '../../workflows/purchase/workflow';
import {
  type PurchaseInput,
  type PurchaseState,
  purchaseStateQuery,
  purchaseWorkflowId,
  subscriptionOutcomeUpdate,
  EARLY_REDEMPTION_NOT_ALLOWED,
  IN_LOCK_IN,
  PARTNER_REFUSED,
  QUOTE_EXPIRED,
  QUOTE_UNKNOWN,
  WRONG_STATE,
} from '../../workflows/purchase/contract';
import { type RefundInput, refundWorkflowId } from '../../workflows/refund/contract';
import type { refundWorkflow } from '../../workflows/refund/workflow';
import { HttpError } from './http-error';

/** The API's handle on purchase workflows: start-and-wait, requests as Updates, the live state. */
export interface PurchaseWorkflows {
  /**
   * Starts the order's run, or attaches to the one already running (a retried request), in one
   * round trip, and answers once the order is SUBSCRIBED, REJECTED or held for review, or with the
   * order still CREATED when the run has not answered within the API's bound. Undefined when the
   * order's run has already ended: the order row is then the answer.
   */
  startAndAwaitSubscription(input: PurchaseInput): Promise<PurchaseState | undefined>;
  /**
   * Sends a request to the order's run and answers its result; a validator's refusal answers its code
   * (409 WRONG_STATE, IN_LOCK_IN, QUOTE_EXPIRED; 422 EARLY_REDEMPTION_NOT_ALLOWED, QUOTE_UNKNOWN,
   * PARTNER_REFUSED), and a run that has ended 409 WRONG_STATE.
   */
  request<Result, Args extends unknown[]>(
    orderNo: string,
    update: UpdateDefinition<Result, Args>,
    ...args: Args
  ): Promise<Result>;
  /** The run's live state (the `purchaseState` query). */
  state(orderNo: string): Promise<PurchaseState>;
  /** Starts the payment's refund run; a payment that already has one (running or ended) is left to it. */
  startRefund(input: RefundInput): Promise<void>;
  client: Client;
}

/** gRPC status codes of a server that cannot be reached (UNAVAILABLE) or did not answer in time (DEADLINE_EXCEEDED). */
const GRPC_UNREACHABLE = new Set([14, 4]);

/** How long POST /v1/purchases waits for the run's answer before it answers 202 (a client's own timeout is usually 30 s). */
export const DEFAULT_ANSWER_WITHIN_MS = 10_000;

/** What a purchase whose run has not answered yet is, as far as the API knows: CREATED, its run started. */
function stillStarting(input: PurchaseInput): PurchaseState {
  return {
    orderNo: input.orderNo,
    status: 'CREATED',
    awaiting: 'NOTHING',
    amountFen: input.amountFen,
    accruedInterestFen: 0,
    payoutAttempts: 0,
    maturityInstruction: input.maturityInstruction ?? { kind: 'PAYOUT' },
  };
}

/** Builds the API's workflow handle on one task queue. */
export function purchaseWorkflows(
  client: Client,
  taskQueue: string,
  answerWithinMs = DEFAULT_ANSWER_WITHIN_MS,
): PurchaseWorkflows {
  return {
    client,
    async state(orderNo) {
      return client.workflow.getHandle(purchaseWorkflowId(orderNo)).query(purchaseStateQuery);
    },
    async startAndAwaitSubscription(input) {
      const startWorkflowOperation = new WithStartWorkflowOperation<typeof purchaseWorkflow>('purchaseWorkflow', {
        ...purchaseStartOptions(input, taskQueue),
        // A retried request attaches to the running order instead of failing.
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      const waiting = new AbortController();
      const outcome = client
        .withAbortSignal(waiting.signal, () =>
          client.workflow.executeUpdateWithStart(subscriptionOutcomeUpdate, { startWorkflowOperation }),
        )
        .catch((err: unknown) => {
          if (err instanceof WorkflowExecutionAlreadyStartedError) return undefined;
          throw temporalProblem(err) ?? err;
        });
      // The run is started (or attached to) at once; when no worker has brought it to an answer in time
      // (workers down or XJP slow), the caller gets 202 and the order goes on without it.
      const late = new Promise<'LATE'>((resolve) => setTimeout(resolve, answerWithinMs, 'LATE').unref());
      const first = await Promise.race([outcome, late]);
      if (first !== 'LATE') return first;
      outcome.catch(() => undefined);
      // Nobody waits for the outcome any more: stop polling for it, so no call outlives the answer (one
      // left retrying would fire on a closed connection at shutdown). The order row has its run; should the
      // start itself have been cut off, the missing-run sweep starts it.
      waiting.abort();
      return stillStarting(input);
    },
    async startRefund(input) {
      try {
        await client.workflow.start<typeof refundWorkflow>('refundWorkflow', {
          workflowId: refundWorkflowId(input.paymentBillNo),
          taskQueue,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          staticSummary: `refund ${input.amountFen} fen of bill ${input.paymentBillNo} (${input.cause})`,
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw temporalProblem(err) ?? err;
      }
    },
    async request<Result, Args extends unknown[]>(
      orderNo: string,
      update: UpdateDefinition<Result, Args>,
      ...args: Args
    ): Promise<Result> {
      try {
        const handle = client.workflow.getHandle(purchaseWorkflowId(orderNo));
        // By name: the SDK types Updates with and without arguments apart, and one path serves both here.
        const [first, ...rest] = args;
        return await (args.length === 0
          ? handle.executeUpdate<Result, []>(update.name)
          : handle.executeUpdate<Result, [unknown, ...unknown[]]>(update.name, { args: [first, ...rest] }));
      } catch (err) {
        throw (
          updateRefusal(err, `order ${orderNo} has no running workflow: it has ended`) ?? temporalProblem(err) ?? err
        );
      }
    },
  };
}

/** The HTTP status of each stable code an Update of a purchase run refuses with. */
const REFUSAL_STATUS: Readonly<Record<string, number>> = {
  [WRONG_STATE]: 409,
  [IN_LOCK_IN]: 409,
  [QUOTE_EXPIRED]: 409,
  [EARLY_REDEMPTION_NOT_ALLOWED]: 422,
  [QUOTE_UNKNOWN]: 422,
  [PARTNER_REFUSED]: 422,
};

/**
 * The refusal's status and code when an Update was refused (by its validator, or XJP's refusal of an
 * early redemption), or 409 WRONG_STATE when its run has ended (`ended` says so); undefined for any
 * other failure.
 */
export function updateRefusal(err: unknown, ended: string): HttpError | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const code = err.cause.type ?? '';
    const status = REFUSAL_STATUS[code];
    if (status !== undefined) return new HttpError(status, code, err.cause.message);
  }
  if (err instanceof WorkflowNotFoundError) return new HttpError(409, WRONG_STATE, ended);
  return undefined;
}

/** 503 TEMPORAL_UNAVAILABLE when Temporal cannot be reached (safe to retry with the same Idempotency-Key); undefined otherwise. */
function temporalProblem(err: unknown): HttpError | undefined {
  const grpc = err instanceof ServiceError ? err.cause : err;
  if (isGrpcServiceError(grpc) && GRPC_UNREACHABLE.has(grpc.code)) {
    return new HttpError(
      503,
      'TEMPORAL_UNAVAILABLE',
      'Temporal cannot be reached; retry with the same Idempotency-Key',
    );
  }
  return undefined;
}

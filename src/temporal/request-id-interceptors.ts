import type {
  Next,
  WorkflowClientInterceptor,
  WorkflowSignalInput,
  WorkflowSignalWithStartInput,
  WorkflowStartInput,
  WorkflowStartOutput,
  WorkflowStartUpdateInput,
  WorkflowStartUpdateOutput,
  WorkflowStartUpdateWithStartInput,
  WorkflowStartUpdateWithStartOutput,
} from '@temporalio/client';
import type { ActivityInterceptors } from '@temporalio/worker';
import { currentRequestId, runWithRequestId } from '../logging/request-context';
import { requestIdOf, withRequestId } from '../../workflows/shared/request-id-header';

/**
 * Puts the current request's id (src/logging/request-context.ts) on every workflow start, update and
 * signal the API sends; the workflow's own interceptors (workflows/shared/request-id-interceptors.ts)
 * pass it on to its activities.
 */
export class RequestIdClientInterceptor implements WorkflowClientInterceptor {
  startWithDetails(
    input: WorkflowStartInput,
    next: Next<WorkflowClientInterceptor, 'startWithDetails'>,
  ): Promise<WorkflowStartOutput> {
    return next({ ...input, headers: withRequestId(input.headers, currentRequestId()) });
  }

  signal(input: WorkflowSignalInput, next: Next<WorkflowClientInterceptor, 'signal'>): Promise<void> {
    return next({ ...input, headers: withRequestId(input.headers, currentRequestId()) });
  }

  signalWithStart(
    input: WorkflowSignalWithStartInput,
    next: Next<WorkflowClientInterceptor, 'signalWithStart'>,
  ): Promise<string> {
    return next({ ...input, headers: withRequestId(input.headers, currentRequestId()) });
  }

  startUpdate(
    input: WorkflowStartUpdateInput,
    next: Next<WorkflowClientInterceptor, 'startUpdate'>,
  ): Promise<WorkflowStartUpdateOutput> {
    return next({ ...input, headers: withRequestId(input.headers, currentRequestId()) });
  }

  startUpdateWithStart(
    input: WorkflowStartUpdateWithStartInput,
    next: Next<WorkflowClientInterceptor, 'startUpdateWithStart'>,
  ): Promise<WorkflowStartUpdateWithStartOutput> {
    const requestId = currentRequestId();
    return next({
      ...input,
      workflowStartHeaders: withRequestId(input.workflowStartHeaders, requestId),
      updateHeaders: withRequestId(input.updateHeaders, requestId),
    });
  }
}

/**
 * An activity run under the request id its workflow passed on: the SDK's activity log lines carry it
 * (`getLogAttributes`), and so does every engine log line the activity writes (the log context).
 */
export function requestIdActivityInterceptors(): ActivityInterceptors {
  let requestId: string | undefined;
  return {
    inbound: {
      execute(input, next) {
        requestId = requestIdOf(input.headers);
        return requestId === undefined ? next(input) : runWithRequestId(requestId, () => next(input));
      },
    },
    outbound: {
      getLogAttributes(input, next) {
        return next(requestId === undefined ? input : { ...input, requestId });
      },
    },
  };
}

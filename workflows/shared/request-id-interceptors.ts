/**
 * Workflow interceptors bundled with the workflows (src/temporal/workflow-bundle.ts): not a workflow.
 * The request id that started a run, or that sent the update or signal being handled, is current for
 * what that code does: it goes on the activities and child workflows it schedules and on its log lines.
 */
import { AsyncLocalStorage, type Headers, type WorkflowInterceptors } from '@temporalio/workflow';
import { requestIdOf, withRequestId } from './request-id-header';

export const interceptors = (): WorkflowInterceptors => {
  // Made per run (the factory is called once per workflow execution), so runs never share an id.
  const handling = new AsyncLocalStorage<string>();
  let startedBy: string | undefined;
  const current = (): string | undefined => handling.getStore() ?? startedBy;
  function within<T>(headers: Headers, fn: () => T): T {
    const requestId = requestIdOf(headers);
    return requestId === undefined ? fn() : handling.run(requestId, fn);
  }
  return {
    inbound: [
      {
        execute(input, next) {
          startedBy = requestIdOf(input.headers);
          return next(input);
        },
        handleSignal: (input, next) => within(input.headers, () => next(input)),
        handleUpdate: (input, next) => within(input.headers, () => next(input)),
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next({ ...input, headers: withRequestId(input.headers, current()) }),
        scheduleLocalActivity: (input, next) => next({ ...input, headers: withRequestId(input.headers, current()) }),
        startChildWorkflowExecution: (input, next) =>
          next({ ...input, headers: withRequestId(input.headers, current()) }),
        getLogAttributes(input, next) {
          const requestId = current();
          return next(requestId === undefined ? input : { ...input, requestId });
        },
      },
    ],
  };
};

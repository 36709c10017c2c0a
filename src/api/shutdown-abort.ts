import type { Client } from '@temporalio/client';
import type { RequestHandler } from 'express';

/**
 * Ties every Temporal call a request makes to the process's stop: once `signal` aborts, a call
 * still in flight (an Update waiting on a run, a retry after UNAVAILABLE) is cancelled at once
 * instead of being retried on a connection the stop closes next, where it would fail later as
 * "Channel has been shut down" with nobody left to answer. A scope opened inside a request (the
 * purchase's own deadline) replaces this one for the calls in it.
 */
export function temporalCallsEndWith(client: Client, signal: AbortSignal): RequestHandler {
  return (_req, _res, next) => {
    void client.withAbortSignal(signal, async () => next());
  };
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The HTTP header a request id travels in, both ways (the caller's, or ours echoed back). */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * What a caller's request id may look like to be kept: short, and only characters that are safe in a
 * log line and a header (no spaces, quotes or control characters a forged id could smuggle into logs).
 */
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What every log line written while serving one request (or running one activity) carries. */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The caller's id when it is well formed, else a fresh one: an id is never refused, only replaced. */
export function requestIdFrom(incoming: string | undefined): string {
  return incoming !== undefined && WELL_FORMED_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Runs `fn` with `requestId` as the current request's: every log line and Temporal call under it carries it. */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

/** The request id of the request (or activity) the caller is serving; undefined outside one. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { setTimeout as delay } from 'node:timers/promises';
import type { TemporalConnectionOptions } from './connection-options';

/**
 * The API's calls retry a refused connection a few times (≈ 1 s) instead of the SDK's default ten
 * (≈ 20 s): a caller gets 503 TEMPORAL_UNAVAILABLE within seconds and retries with its Idempotency-Key.
 */
const API_CALL_ATTEMPTS = 4;
/** The worker's first connection is retried with backoff while Temporal is still starting or down. */
const WORKER_CONNECT_BACKOFF = { initialMs: 500, factor: 2, maxMs: 10_000, giveUpAfterMs: 10 * 60_000 } as const;

/** The API's client connection, with bounded retries per call. */
export function connectApi(options: TemporalConnectionOptions): Promise<Connection> {
  return Connection.connect({
    ...options,
    connectTimeout: '5 seconds',
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: API_CALL_ATTEMPTS }))],
  });
}

/**
 * The client connection inside a worker (the missing-run sweep starts runs through it): lazy, so it
 * connects on first use, once the worker's own connection has already waited for Temporal.
 */
export function workerClientConnection(options: TemporalConnectionOptions): Connection {
  return Connection.lazy({
    ...options,
    connectTimeout: '5 seconds',
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: API_CALL_ATTEMPTS }))],
  });
}

/**
 * The worker's connection: a worker started while Temporal is down waits for it (with backoff, each
 * failure reported) rather than exiting at once; after {@link WORKER_CONNECT_BACKOFF.giveUpAfterMs} it gives up.
 */
export async function connectWorker(
  options: TemporalConnectionOptions,
  report: (message: string) => void,
): Promise<NativeConnection> {
  const deadline = Date.now() + WORKER_CONNECT_BACKOFF.giveUpAfterMs;
  let waitMs: number = WORKER_CONNECT_BACKOFF.initialMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await NativeConnection.connect(options);
    } catch (err) {
      if (Date.now() + waitMs > deadline) throw err;
      report(
        `Temporal at ${options.address} is not reachable (attempt ${attempt}: ${err instanceof Error ? err.message : String(err)}); retrying in ${waitMs} ms`,
      );
      await delay(waitMs);
      waitMs = Math.min(waitMs * WORKER_CONNECT_BACKOFF.factor, WORKER_CONNECT_BACKOFF.maxMs);
    }
  }
}

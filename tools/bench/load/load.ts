/**
 * Closed-loop HTTP load at a fixed concurrency, driven by autocannon in a worker thread
 * (autocannon-thread.mjs), with latency percentiles computed here from every response.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { percentile, round } from '../stats';

/** One request's own headers and body (POST /v1/purchases: a fresh Idempotency-Key and member token). */
export interface PreparedRequest {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What one load run sends. */
export interface LoadSpec {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Requests in all. */
  readonly amount: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Per-request headers and body, at least amount + concurrency of them; static headers and body otherwise. */
  readonly perRequest?: readonly PreparedRequest[];
}

/** What one load run measured. */
export interface LoadResult {
  readonly concurrency: number;
  readonly requests: number;
  /** Responses with a 2xx status; latencies and req/s count only these. */
  readonly ok: number;
  /** Everything else: other statuses, connection errors and timeouts. */
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly reqPerSec: number;
  readonly elapsedMs: number;
  readonly statuses: Record<string, number>;
}

/** The thread's answer, checked at the boundary. */
const threadAnswer = z.object({
  samples: z.array(z.tuple([z.number().int(), z.number()])),
  errors: z.number(),
  timeouts: z.number(),
  elapsedMs: z.number(),
  firstError: z.string().optional(),
});

const THREAD = path.resolve(__dirname, 'autocannon-thread.mjs');
/** Far above any p99 measured here (the slowest rung answered in seconds at c=32): a timeout is a failure, not a sample. */
const REQUEST_TIMEOUT_S = 120;

/**
 * The load generator: one worker thread for every run (autocannon loads once), runs one at a time.
 * close() ends the thread.
 */
export class LoadDriver {
  private readonly thread = new Worker(THREAD);
  private failure: Error | undefined;
  private pending: { resolve(answer: unknown): void; reject(err: Error): void } | undefined;

  constructor() {
    this.thread.on('message', (message: unknown) => {
      const pending = this.pending;
      this.pending = undefined;
      pending?.resolve(message);
    });
    const fail = (err: Error) => {
      this.failure ??= err;
      this.pending?.reject(err);
      this.pending = undefined;
    };
    this.thread.on('error', fail);
    this.thread.on('exit', (code) => fail(new Error(`load thread exited with code ${code}`)));
  }

  private async runThread(spec: LoadSpec): Promise<z.infer<typeof threadAnswer>> {
    if (this.failure !== undefined) throw this.failure;
    if (this.pending !== undefined) throw new Error('one load run at a time');
    const answer = await new Promise<unknown>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.thread.postMessage({
        url: spec.url,
        method: spec.method,
        connections: spec.concurrency,
        amount: spec.amount,
        timeoutS: REQUEST_TIMEOUT_S,
        headers: spec.headers ?? {},
        body: spec.body,
        perRequest: spec.perRequest,
      });
    });
    const parsed = threadAnswer.safeParse(answer);
    if (!parsed.success)
      throw new Error(`load thread answered ${JSON.stringify(answer).slice(0, 200)}: ${parsed.error.message}`);
    return parsed.data;
  }

  /** Runs `spec` to the end; the latencies and rate are those of the 2xx responses, the rest is counted as failed. */
  async run(spec: LoadSpec): Promise<LoadResult> {
    if (spec.perRequest !== undefined && spec.perRequest.length < spec.amount + spec.concurrency)
      throw new RangeError(
        `${spec.perRequest.length} prepared requests for ${spec.amount} at concurrency ${spec.concurrency}`,
      );
    const answer = await this.runThread(spec);
    const statuses: Record<string, number> = {};
    const okLatencies: number[] = [];
    for (const [status, ms] of answer.samples) {
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) okLatencies.push(ms);
    }
    const ok = okLatencies.length;
    if (ok === 0) {
      throw new Error(
        `${spec.method} ${spec.url} at concurrency ${spec.concurrency}: none of ${spec.amount} answered 2xx ` +
          `(statuses ${JSON.stringify(statuses)}, ${answer.errors} errors, ${answer.timeouts} timeouts` +
          `${answer.firstError === undefined ? '' : `, first error: ${answer.firstError}`})`,
      );
    }
    return {
      concurrency: spec.concurrency,
      requests: spec.amount,
      ok,
      failed: spec.amount - ok,
      p50Ms: round(percentile(okLatencies, 50), 2),
      p99Ms: round(percentile(okLatencies, 99), 2),
      meanMs: round(okLatencies.reduce((s, v) => s + v, 0) / ok, 2),
      reqPerSec: round((ok * 1000) / answer.elapsedMs, 1),
      elapsedMs: round(answer.elapsedMs, 0),
      statuses,
    };
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the load driver is closed');
    await this.thread.terminate();
  }
}

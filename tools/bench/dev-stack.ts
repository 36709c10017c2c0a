/**
 * The one CLI dev server the ladder's HTTP, end-to-end and accrual rungs share, with the whole
 * engine on it (test engine: embedded PostgreSQL, both simulators, the API and a purchase worker in
 * this process) and the baselines' worker beside the purchase worker.
 */
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createLogger } from '../../src/logging/logger';
import { searchAttributes } from '../../workflows/purchase/contract';
import { startTestEngine, type TestEngine } from '../testing/engine';
import { createDevServerTestEnv } from '../testing/temporal';
import { CpuProbe } from './cpu-probe';
import { startBareWorker } from './fixtures/bare-worker';

/** The running dev server, engine and baseline worker. */
export interface BenchStack {
  readonly env: TestWorkflowEnvironment;
  readonly engine: TestEngine;
  /** A client without the engine's data converter, for the baselines. */
  readonly bareClient: Client;
  readonly namespace: string;
  /** CPU time of the dev server, PostgreSQL and this process. */
  readonly cpu: CpuProbe;
  stop(): Promise<void>;
}

/** Starts everything; on a failed start, stops what had started. */
export async function startBenchStack(): Promise<BenchStack> {
  // Registered at start-up, so the first purchase never races the attributes' registration.
  const env = await createDevServerTestEnv({ searchAttributes: Object.values(searchAttributes) });
  const namespace = env.namespace ?? 'default';
  let engine: TestEngine | undefined;
  try {
    engine = await startTestEngine(env, {
      logger: createLogger('bench-api', { level: process.env.LOG_LEVEL ?? 'warn' }),
    });
    const bare = await startBareWorker(env.nativeConnection, namespace);
    const running = engine;
    return {
      env,
      engine: running,
      bareClient: new Client({ connection: env.connection, namespace }),
      namespace,
      cpu: new CpuProbe(env.address, running.db.url),
      async stop() {
        try {
          await bare.stop();
          await running.stop();
        } finally {
          await env.teardown();
        }
      },
    };
  } catch (err) {
    await engine?.stop().catch(() => undefined);
    await env.teardown();
    throw err;
  }
}

/**
 * The purchase worker as its own process (`src/runtime/worker-main.ts`, as `npm run worker:dev`
 * runs it, with the configuration's defaults for its tuning), so its memory is read alone: RSS from
 * /proc, the sticky cache from its Prometheus endpoint. Run with `node --import tsx` rather than
 * the tsx CLI, which would put a second node process between the pid and the worker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { findFreePort } from '../../src/db/embedded-postgres';
import { TEST_API_KEY } from '../testing/engine';
import type { BenchStack } from './dev-stack';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKER_ENTRY = 'src/runtime/worker-main.ts';
/** Bundling the workflows takes the worker tens of seconds on a busy two-core machine. */
const READY_TIMEOUT_MS = 180_000;
/** Beyond the worker's own shutdown grace (30 s by default), had it tasks in flight. */
const STOP_GRACE_MS = 45_000;

export interface WorkerProcess {
  readonly pid: number;
  /** Resident set size now, MiB. */
  rssMiB(): number;
  /** A gauge or counter from the worker's Prometheus endpoint (summed over its label sets), undefined when absent. */
  metric(name: string): Promise<number | undefined>;
  stop(): Promise<void>;
}

/** VmRSS of a process, from /proc (Linux). */
function rssMiBOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  const kib = Number(line?.replace(/\D+/g, ''));
  if (!Number.isFinite(kib) || kib === 0) throw new Error(`no VmRSS for process ${pid}`);
  return kib / 1024;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/** Starts a worker process polling `taskQueue` on the stack's server and database; resolves once it polls. */
export async function startWorkerProcess(stack: BenchStack, taskQueue: string): Promise<WorkerProcess> {
  const { engine, env } = stack;
  const metricsPort = await findFreePort();
  const healthPort = await findFreePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', WORKER_ENTRY], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: engine.db.url,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: stack.namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      TEMPORAL_METRICS_BIND_ADDRESS: `127.0.0.1:${metricsPort}`,
      WORKER_HEALTH_BIND_ADDRESS: `127.0.0.1:${healthPort}`,
      PUBLIC_BASE_URL: engine.apiUrl,
      XJP_BASE_URL: engine.xjpUrl,
      LIANLIAN_BASE_URL: engine.lianlianUrl,
      XJP_PUBLIC_KEY_PEM: engine.keys.xjp.publicKeyPem,
      LIANLIAN_PUBLIC_KEY_PEM: engine.keys.lianlian.publicKeyPem,
      PLATFORM_PRIVATE_KEY_PEM: engine.keys.platform.privateKeyPem,
      // Accrual never reads personal data; the key only has to be well formed.
      PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      API_KEYS: TEST_API_KEY,
    },
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    // The worker finishes its tasks first (its shutdown grace); past that it is killed.
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(kill);
  };
  try {
    if (pid === undefined) throw new Error(`the worker process did not start: ${output}`);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await answers(`http://127.0.0.1:${healthPort}/readyz`))) {
      if (child.exitCode !== null) throw new Error(`the worker process exited (${child.exitCode}): ${output}`);
      if (Date.now() > deadline) throw new Error(`the worker process did not poll within ${READY_TIMEOUT_MS} ms`);
      await delay(250);
    }
    return {
      pid,
      rssMiB: () => rssMiBOf(pid),
      async metric(name) {
        const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        const values = text
          .split('\n')
          .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
          .map((l) => Number(l.slice(l.lastIndexOf(' ') + 1)));
        return values.length === 0 ? undefined : values.reduce((s, v) => s + v, 0);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

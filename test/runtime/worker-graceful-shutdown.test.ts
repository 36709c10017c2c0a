/**
 * SIGTERM on a worker process (as an orchestrator stops it) while an activity is in flight: the
 * worker stops polling, lets the activity finish within TEMPORAL_WORKER_SHUTDOWN_GRACE_MS, and
 * exits 0. The worker is the real entry (`src/runtime/worker-main.ts`) in a process of its own, on
 * the CLI dev server (real time), with the API, PostgreSQL and the simulators of the test engine; XJP
 * is made slow to answer the subscription so the activity is still running when the signal lands.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { freePort } from '../../tools/temporal/servers';
import { engineProcessEnv, startTestEngine, TEST_API_KEY, type TestEngine } from '../../tools/testing/engine';
import { asMember } from '../../tools/testing/member-tokens';
import { purchaseBody, simAdmin } from '../../tools/testing/purchases';
import { createDevServerTestEnv } from '../../tools/testing/temporal';
import { waitForState } from '../../tools/testing/wait';
import { PURCHASE_TASK_QUEUE } from '../../workflows/purchase/contract';

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '..', '..');
/** Far above the slowed XJP answer: the activity must finish inside it. */
const GRACE_MS = 60_000;
/** After the grace time, how long a cancelled activity gets before the worker stops regardless. */
const FORCE_MS = 1_000;
/** How long XJP holds its answer to the subscription: the activity is in flight at least this long. */
const XJP_LATENCY_MS = 5_000;
const EventType = temporal.api.enums.v1.EventType;

let env: TestWorkflowEnvironment;
let engine: TestEngine;
let worker: { child: ChildProcess; lines: Array<Record<string, unknown>>; exit: Promise<number | null> };
const piiKey = randomBytes(32);

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The scheduling event an activity event answers to (started, completed, failed, timed out, cancelled). */
function scheduledIdOf(e: HistoryEvent): unknown {
  return (
    e.activityTaskStartedEventAttributes?.scheduledEventId ??
    e.activityTaskCompletedEventAttributes?.scheduledEventId ??
    e.activityTaskFailedEventAttributes?.scheduledEventId ??
    e.activityTaskTimedOutEventAttributes?.scheduledEventId ??
    e.activityTaskCancelRequestedEventAttributes?.scheduledEventId ??
    e.activityTaskCanceledEventAttributes?.scheduledEventId
  );
}

/** `node --import tsx src/runtime/worker-main.ts`: the worker entry itself, signals going straight to it. */
function startWorkerProcess(envVars: NodeJS.ProcessEnv): typeof worker {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'runtime', 'worker-main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...envVars },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = rest + chunk.toString('utf8');
    const complete = text.split('\n');
    rest = complete.pop() ?? '';
    for (const line of complete.filter((l) => l.startsWith('{')))
      lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exit };
}

beforeAll(async () => {
  env = await createDevServerTestEnv();
  // The purchase's answer is held across the worker's stop and restart, longer than the API's default bound.
  engine = await startTestEngine(env, { withoutWorker: true, piiKey, purchaseAnswerWithinMs: 120_000 });
  const healthPort = await freePort();
  worker = startWorkerProcess({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    ...engineProcessEnv(engine, piiKey),
    TEMPORAL_TASK_QUEUE: PURCHASE_TASK_QUEUE,
    TEMPORAL_METRICS_BIND_ADDRESS: `127.0.0.1:${await freePort()}`,
    WORKER_HEALTH_BIND_ADDRESS: `127.0.0.1:${healthPort}`,
    TEMPORAL_WORKER_SHUTDOWN_GRACE_MS: String(GRACE_MS),
    // Short: were the grace time not honoured, the worker would give up on the activity well before XJP answers.
    TEMPORAL_WORKER_SHUTDOWN_FORCE_MS: String(FORCE_MS),
    PUBLIC_BASE_URL: engine.apiUrl,
    API_KEYS: TEST_API_KEY,
    PARTNER_TIMEOUT_MS: String(XJP_LATENCY_MS * 4),
  });
  // The worker from sources bundles its workflows first: ready once it polls.
  await waitForState(
    () =>
      fetch(`http://127.0.0.1:${healthPort}/readyz`).then(
        (r) => r.status,
        () => 0,
      ),
    (status) => status === 200,
    180_000,
  );
});

afterAll(async () => {
  if (worker?.child.exitCode === null) worker.child.kill('SIGKILL');
  await engine?.stop();
  await env?.teardown();
});

test('SIGTERM while an activity waits on XJP: the activity completes on its first attempt, and the worker exits 0', async () => {
  await simAdmin(engine.xjpUrl, '/faults', {
    endpoint: '/api/subscriptions',
    kind: 'latency',
    latencyMs: XJP_LATENCY_MS,
    count: 1,
  });
  // The API answers once the order is subscribed: after this worker has stopped and another has taken over.
  const purchase = fetch(`${engine.apiUrl}/v1/purchases`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': TEST_API_KEY,
      'idempotency-key': 'graceful-shutdown-1',
      ...(await asMember('M-GRACE')),
    },
    body: JSON.stringify(purchaseBody('XJP-P-0002', 1_000_000, 'M-GRACE')),
  });

  const started = await waitForState(
    async () => worker.lines.find((l) => l.msg === 'Activity started' && l.activityType === 'subscribeInvestor'),
    (line) => line !== undefined,
    60_000,
  );
  const workflowId = String(started?.workflowId);
  worker.child.kill('SIGTERM');
  expect(await worker.exit).toBe(0);

  const sdkLines = worker.lines.filter((l) => l.activityType === 'subscribeInvestor');
  expect(sdkLines.map((l) => l.msg)).toEqual(['Activity started', 'Activity completed']);
  expect(worker.lines.some((l) => l.msg === 'stopping' && l.signal === 'SIGTERM')).toBe(true);

  const events = (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const scheduled = events.find(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'subscribeInvestor',
  );
  const ofSubscribe = events.filter((e) => e === scheduled || String(scheduledIdOf(e)) === String(scheduled?.eventId));
  expect(ofSubscribe.map((e) => e.eventType)).toEqual([
    EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
    EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
    EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
  ]);
  expect(ofSubscribe[1]?.activityTaskStartedEventAttributes?.attempt).toBe(1);

  // The completed subscription is the run's to use: a new worker carries the order on to SUBSCRIBED.
  await engine.restartWorker();
  const answer = await purchase;
  expect(answer.status).toBe(201);
  expect(await answer.json()).toMatchObject({ status: 'SUBSCRIBED' });
});

import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createTimeSkippingTestEnv } from '../support/temporal';
import { createFixtureActivities } from './fixtures/activities';
import { addUpdate, finishUpdate, runningTotal, sleepThenStamp } from './fixtures/workflows';

const NINETY_DAYS_MS = 90 * 24 * 60 * 60 * 1000;
const TASK_QUEUE = 'time-skipping-test';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([
    createTimeSkippingTestEnv(),
    bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, 'fixtures/workflows.ts'), logger: quietLogger() }),
  ]);
});

afterAll(async () => {
  await env?.teardown();
});

function createWorker(): Promise<Worker> {
  return Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowBundle, activities: createFixtureActivities() });
}

test('a workflow sleeping 90 days completes on the time-skipping server, its activity run by a real worker', async () => {
  const worker = await createWorker();
  const serverTimeBefore = await env.currentTimeMs();

  const outcome = await worker.runUntil(
    env.client.workflow.execute(sleepThenStamp, { args: [90], taskQueue: TASK_QUEUE, workflowId: 'sleep-90-days' }),
  );

  expect(env.supportsTimeSkipping).toBe(true);
  expect(outcome.stamp).toBe('woke after 90 days');
  expect(outcome.wokeAtMs - outcome.sleptFromMs).toBeGreaterThanOrEqual(NINETY_DAYS_MS);
  expect((await env.currentTimeMs()) - serverTimeBefore).toBeGreaterThanOrEqual(NINETY_DAYS_MS);
});

test('the time-skipping server supports workflow updates and update-with-start', async () => {
  const worker = await createWorker();
  const startOperation = new WithStartWorkflowOperation(runningTotal, {
    workflowId: 'time-skipping-update-with-start',
    taskQueue: TASK_QUEUE,
    workflowIdConflictPolicy: 'USE_EXISTING',
  });

  const [first, second, total] = await worker.runUntil(async () => {
    const afterStart = await env.client.workflow.executeUpdateWithStart(addUpdate, { args: [5], startWorkflowOperation: startOperation });
    const handle = await startOperation.workflowHandle();
    const afterUpdate = await handle.executeUpdate(addUpdate, { args: [7] });
    await handle.executeUpdate(finishUpdate);
    return [afterStart, afterUpdate, await handle.result()];
  });

  expect([first, second, total]).toEqual([5, 12, 12]);
});

function quietLogger() {
  const ignore = () => undefined;
  return { log: ignore, trace: ignore, debug: ignore, info: ignore, warn: console.warn, error: console.error };
}

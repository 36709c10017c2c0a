import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createDevServerTestEnv } from '../support/temporal';
import { createFixtureActivities } from './fixtures/activities';
import { addUpdate, finishUpdate, runningTotal, sleepThenStamp } from './fixtures/workflows';

const TASK_QUEUE = 'dev-server-test';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([
    createDevServerTestEnv(),
    bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, 'fixtures/workflows.ts'), logger: quietLogger() }),
  ]);
});

afterAll(async () => {
  await env?.teardown();
});

function createWorker(): Promise<Worker> {
  return Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowBundle, activities: createFixtureActivities() });
}

test('a workflow run on the dev server leaves a history of its start, timer, activity and completion', async () => {
  const worker = await createWorker();
  const handle = await env.client.workflow.start(sleepThenStamp, { args: [0], taskQueue: TASK_QUEUE, workflowId: 'dev-server-history' });

  await worker.runUntil(handle.result());
  const history = await handle.fetchHistory();

  const milestones = (history.events ?? [])
    .map((event) => temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? 'unknown')
    .filter((type) => !type.startsWith('EVENT_TYPE_WORKFLOW_TASK_'));
  expect(milestones).toEqual([
    'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
    'EVENT_TYPE_TIMER_STARTED',
    'EVENT_TYPE_TIMER_FIRED',
    'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
    'EVENT_TYPE_ACTIVITY_TASK_STARTED',
    'EVENT_TYPE_ACTIVITY_TASK_COMPLETED',
    'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
  ]);
});

test('the dev server accepts update-with-start and later updates to the same workflow', async () => {
  const worker = await createWorker();
  const startOperation = new WithStartWorkflowOperation(runningTotal, {
    workflowId: 'dev-server-update-with-start',
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

import { temporal } from '@temporalio/proto';
import { createDevServerTestEnv } from '../../tools/testing/temporal';
import { sleepThenStamp } from './fixtures/workflows';
import { updateWithStartTotals, useFixtureServer } from './fixtures/fixture-server';

const TASK_QUEUE = 'dev-server-test';

const server = useFixtureServer(createDevServerTestEnv, TASK_QUEUE);

test('a workflow run on the dev server leaves a history of its start, timer, activity and completion', async () => {
  const worker = await server.createWorker();
  const handle = await server.env.client.workflow.start(sleepThenStamp, {
    args: [0],
    taskQueue: TASK_QUEUE,
    workflowId: 'dev-server-history',
  });

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
  expect(await updateWithStartTotals(server, TASK_QUEUE, 'dev-server-update-with-start')).toEqual([5, 12, 12]);
});

import { createTimeSkippingTestEnv } from '../../tools/testing/temporal';
import { sleepThenStamp } from './fixtures/workflows';
import { updateWithStartTotals, useFixtureServer } from './fixtures/fixture-server';

const NINETY_DAYS_MS = 90 * 24 * 60 * 60 * 1000;
const TASK_QUEUE = 'time-skipping-test';

const server = useFixtureServer(createTimeSkippingTestEnv, TASK_QUEUE);

test('a workflow sleeping 90 days completes on the time-skipping server, its activity run by a real worker', async () => {
  const worker = await server.createWorker();
  const serverTimeBefore = await server.env.currentTimeMs();

  const outcome = await worker.runUntil(
    server.env.client.workflow.execute(sleepThenStamp, {
      args: [90],
      taskQueue: TASK_QUEUE,
      workflowId: 'sleep-90-days',
    }),
  );

  expect(server.env.supportsTimeSkipping).toBe(true);
  expect(outcome.stamp).toBe('woke after 90 days');
  expect(outcome.wokeAtMs - outcome.sleptFromMs).toBeGreaterThanOrEqual(NINETY_DAYS_MS);
  expect((await server.env.currentTimeMs()) - serverTimeBefore).toBeGreaterThanOrEqual(NINETY_DAYS_MS);
});

test('the time-skipping server supports workflow updates and update-with-start', async () => {
  expect(await updateWithStartTotals(server, TASK_QUEUE, 'time-skipping-update-with-start')).toEqual([5, 12, 12]);
});

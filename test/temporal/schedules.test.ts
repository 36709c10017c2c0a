/**
 * The Schedules (nightly reconciliation, the nightly accrual batch, the every-minute missing-run sweep, the webhook dispatch) on the CLI dev server: the Java time-skipping test server refuses
 * CreateSchedule (ServiceError "Failed to create schedule"), so schedule registration is tested here.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { RECONCILIATION_WORKFLOW_TYPE } from '../../workflows/reconciliation/contract';
import { ensureAccrualSchedule } from '../../src/temporal/accrual-schedule';
import { ensureMissingRunSweepSchedule } from '../../src/temporal/missing-run-schedule';
import { ACCRUAL_POSTING_WORKFLOW_TYPE } from '../../workflows/accrual/contract';
import { ensureReconciliationSchedule } from '../../src/temporal/reconciliation-schedule';
import { MISSING_RUN_SWEEP_WORKFLOW_TYPE } from '../../workflows/missing-runs/contract';
import { ensureWebhookDispatchSchedule } from '../../src/temporal/webhook-schedule';
import { WEBHOOK_DISPATCH_WORKFLOW_TYPE } from '../../workflows/webhooks/contract';
import { createDevServerTestEnv } from '../../tools/testing/temporal';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createDevServerTestEnv();
});

afterAll(async () => {
  await env?.teardown();
});

test('the reconciliation schedule runs the workflow without a date daily at 02:00 Asia/Shanghai, skipping overlaps', async () => {
  const id = await ensureReconciliationSchedule(env.client, { taskQueue: 'recon-queue', scheduleId: 'recon-a' });
  const described = await env.client.schedule.getHandle(id).describe();
  expect(described.spec.timezone).toBe('Asia/Shanghai');
  expect(described.spec.calendars).toEqual([
    expect.objectContaining({ hour: [{ start: 2, end: 2, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] }),
  ]);
  expect(described.action).toMatchObject({
    type: 'startWorkflow',
    workflowType: RECONCILIATION_WORKFLOW_TYPE,
    taskQueue: 'recon-queue',
    args: [{}],
  });
  expect(described.policies.overlap).toBe('SKIP');
  // 02:00 Shanghai is 18:00 UTC the day before.
  const next = described.info.nextActionTimes[0];
  expect(next?.getUTCHours()).toBe(18);
  expect(next?.getUTCMinutes()).toBe(0);
});

test('ensuring the schedule again updates it in place instead of failing', async () => {
  await ensureReconciliationSchedule(env.client, { taskQueue: 'recon-queue', scheduleId: 'recon-b' });
  await ensureReconciliationSchedule(env.client, {
    taskQueue: 'other-queue',
    scheduleId: 'recon-b',
    hour: 3,
    minute: 30,
  });
  const described = await env.client.schedule.getHandle('recon-b').describe();
  expect(described.spec.timezone).toBe('Asia/Shanghai');
  expect(described.spec.calendars).toEqual([
    expect.objectContaining({ hour: [{ start: 3, end: 3, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] }),
  ]);
  expect(described.action).toMatchObject({ taskQueue: 'other-queue' });
});

test('the missing-run sweep runs every minute with its default grace period, skipping overlaps, and is updated in place', async () => {
  await ensureMissingRunSweepSchedule(env.client, { taskQueue: 'sweep-queue', scheduleId: 'sweep-a' });
  const id = await ensureMissingRunSweepSchedule(env.client, { taskQueue: 'other-queue', scheduleId: 'sweep-a' });
  const described = await env.client.schedule.getHandle(id).describe();
  expect(described.spec.intervals).toEqual([expect.objectContaining({ every: 60_000 })]);
  expect(described.action).toMatchObject({
    type: 'startWorkflow',
    workflowType: MISSING_RUN_SWEEP_WORKFLOW_TYPE,
    taskQueue: 'other-queue',
    args: [{}],
  });
  expect(described.policies.overlap).toBe('SKIP');
});

test('the accrual batch runs the workflow without a date daily at 00:05 Asia/Shanghai, a late night buffered rather than skipped', async () => {
  await ensureAccrualSchedule(env.client, { taskQueue: 'accrual-queue', scheduleId: 'accrual-a' });
  const id = await ensureAccrualSchedule(env.client, { taskQueue: 'other-queue', scheduleId: 'accrual-a' });
  const described = await env.client.schedule.getHandle(id).describe();
  expect(described.spec.timezone).toBe('Asia/Shanghai');
  expect(described.spec.calendars).toEqual([
    expect.objectContaining({ hour: [{ start: 0, end: 0, step: 1 }], minute: [{ start: 5, end: 5, step: 1 }] }),
  ]);
  expect(described.action).toMatchObject({
    type: 'startWorkflow',
    workflowType: ACCRUAL_POSTING_WORKFLOW_TYPE,
    taskQueue: 'other-queue',
    args: [{}],
  });
  expect(described.policies.overlap).toBe('BUFFER_ONE');
  // 00:05 Shanghai is 16:05 UTC the day before.
  const next = described.info.nextActionTimes[0];
  expect(next?.getUTCHours()).toBe(16);
  expect(next?.getUTCMinutes()).toBe(5);
});

test('the webhook dispatch runs every 10 seconds, one at a time, and is updated in place', async () => {
  await ensureWebhookDispatchSchedule(env.client, { taskQueue: 'hooks-queue', scheduleId: 'hooks-a' });
  const id = await ensureWebhookDispatchSchedule(env.client, { taskQueue: 'other-queue', scheduleId: 'hooks-a' });
  const described = await env.client.schedule.getHandle(id).describe();
  expect(described.spec.intervals).toEqual([expect.objectContaining({ every: 10_000 })]);
  expect(described.action).toMatchObject({
    type: 'startWorkflow',
    workflowType: WEBHOOK_DISPATCH_WORKFLOW_TYPE,
    taskQueue: 'other-queue',
    args: [],
  });
  expect(described.policies.overlap).toBe('SKIP');
});

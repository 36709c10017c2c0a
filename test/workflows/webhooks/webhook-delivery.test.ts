/**
 * The webhook dispatcher end to end on real parts: PostgreSQL, the time-skipping server running the
 * dispatch workflow as its Schedule would, and a receiver over HTTP that verifies every signature.
 * The receiver is down, then fails one order's event twice and leaves another's unanswered; each
 * order's events still arrive exactly once and in order, and a stuck order holds back no other.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime, Worker } from '@temporalio/worker';
import { createWebhookActivities } from '../../../activities/webhooks';
import { WebhookDeliveryAttemptSchema, WebhookDeliverySchema } from '../../../src/db/entities/webhook';
import { createOrder, listOrderEvents, recordOrderNote, transitionOrder } from '../../../src/db/repositories/orders';
import { replayDelivery } from '../../../src/db/repositories/webhooks';
import type { OrderStatus } from '../../../src/domain/order-status';
import { workflowTracingSinks } from '../../../src/temporal/interceptors';
import { purchaseWorkflowBundle } from '../../../src/temporal/workflow-bundle';
import type { WebhookPayload } from '../../../src/webhooks/payload';
import { WEBHOOK_DISPATCH_WORKFLOW_TYPE } from '../../../workflows/webhooks/contract';
import type { webhookDispatchWorkflow } from '../../../workflows/webhooks/workflow';
import { startTestDatabase, testPiiCipher, type TestDatabase } from '../../../tools/testing/database';
import { createTimeSkippingTestEnv } from '../../../tools/testing/temporal';
import {
  startWebhookReceiver,
  type ReceiverAnswer,
  type WebhookReceiver,
} from '../../../tools/webhook-receiver/receiver';
import { orderInput } from '../../db/repositories/fixtures';

Runtime.install({
  logger: new DefaultLogger('WARN'),
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
});

const TASK_QUEUE = 'webhooks-test';
const SECRET = 'whsec-test-0123456789abcdef';
/** Short, so an unanswered delivery costs the test little real time. */
const TIMEOUT_MS = 500;
const AT = new Date('2026-12-02T08:00:00Z');

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let receiver: WebhookReceiver;
let worker: Worker;
let running: Promise<void>;
/** What the receiver answers next, by order number; ACCEPT once an order's script is used up. */
const script = new Map<string, ReceiverAnswer[]>();
let down = false;

beforeAll(async () => {
  [env, db] = await Promise.all([createTimeSkippingTestEnv(), startTestDatabase()]);
  receiver = await startWebhookReceiver({
    secret: SECRET,
    answer: (payload: WebhookPayload) =>
      down ? 'FAIL' : (script.get(`${payload.orderNo}#${payload.sequence}`)?.shift() ?? 'ACCEPT'),
  });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: await purchaseWorkflowBundle(),
    sinks: workflowTracingSinks(undefined),
    activities: createWebhookActivities({
      orm: db.orm,
      webhooks: { endpoints: [{ name: 'platform', url: receiver.url, secret: SECRET }], timeoutMs: TIMEOUT_MS },
    }),
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await receiver?.close();
  await db?.stop();
  await env?.teardown();
});

const cipher = testPiiCipher();

/** An order taken through `path` of statuses after CREATED; returns its number. */
async function orderThrough(path: OrderStatus[]): Promise<string> {
  const { orderNo } = await createOrder(db.orm.em.fork(), cipher, orderInput());
  for (const [i, to] of path.entries()) {
    const changes = to === 'REJECTED' ? { rejectReason: 'QUOTA_EXCEEDED' } : {};
    const at = new Date(AT.getTime() + i * 1000);
    await transitionOrder(db.orm.em.fork(), { orderNo, to, cause: `TO_${to}`, actor: 'SYSTEM', at, changes });
  }
  return orderNo;
}

/** One dispatch, as the Schedule starts it. */
function dispatch() {
  return env.client.workflow.execute<typeof webhookDispatchWorkflow>(WEBHOOK_DISPATCH_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: `webhook-dispatch-${randomUUID()}`,
  });
}

function arrivals(orderNo: string): WebhookPayload[] {
  return receiver.received.map((r) => r.payload).filter((p) => p.orderNo === orderNo);
}

test('a receiver that is down, fails and times out, then recovers, gets every event once, in order per order, signed', async () => {
  const stubborn = await orderThrough(['SUBSCRIBED', 'PAID', 'ACCRUING']);
  const quick = await orderThrough(['REJECTED']);
  const slow = await orderThrough(['SUBSCRIBED']);
  await recordOrderNote(db.orm.em.fork(), {
    orderNo: slow,
    cause: 'DATE_MISMATCH',
    actor: 'SYSTEM',
    detail: { at: 'SUBSCRIPTION' },
    at: new Date(AT.getTime() + 60_000),
    parkedFor: 'DATE_MISMATCH',
  });
  script.set(`${stubborn}#2`, ['FAIL', 'FAIL']);
  script.set(`${slow}#1`, ['HANG']);

  down = true;
  const first = await dispatch();
  expect(first).toMatchObject({ fannedOut: 9, delivered: 0, retrying: 3, failed: 0 });
  down = false;

  // Each wait passes every backoff the script causes (30 s, 1 min, 2 min); the bound only stops a broken dispatcher.
  for (let round = 0; round < 10 && receiver.received.length < 9; round++) {
    await env.sleep('10 minutes');
    await dispatch();
  }

  expect(receiver.refusedSignatures).toBe(0);
  for (const orderNo of [stubborn, quick, slow]) {
    const trail = await listOrderEvents(db.orm.em.fork(), orderNo);
    expect(arrivals(orderNo).map((p) => p.id)).toEqual(trail.map((e) => e.id));
    expect(arrivals(orderNo).map((p) => p.sequence)).toEqual(trail.map((_, i) => i + 1));
  }
  expect(arrivals(slow).map((p) => [p.type, p.toStatus, p.reasonCode])).toEqual([
    ['order.status_changed', 'CREATED', null],
    ['order.status_changed', 'SUBSCRIBED', null],
    ['order.parked', 'SUBSCRIBED', 'DATE_MISMATCH'],
  ]);
  // No personal data travels: only the documented fields.
  expect(Object.keys(arrivals(quick)[0] ?? {}).sort()).toEqual(
    ['cause', 'fromStatus', 'id', 'occurredAt', 'orderNo', 'reasonCode', 'sequence', 'toStatus', 'type'].sort(),
  );

  // The stubborn order's failing event held back its own later events, not the other orders'.
  const order = receiver.received.map((r) => `${r.payload.orderNo}#${r.payload.sequence}`);
  expect(order.indexOf(`${quick}#2`)).toBeLessThan(order.indexOf(`${stubborn}#2`));
  expect(order.indexOf(`${slow}#3`)).toBeLessThan(order.indexOf(`${stubborn}#2`));

  const log = async (orderNo: string, seq: number) => {
    const delivery = await db.orm.em.fork().findOneOrFail(WebhookDeliverySchema, { orderNo, seq });
    const attempts = await db.orm.em
      .fork()
      .find(WebhookDeliveryAttemptSchema, { delivery }, { orderBy: { attempt: 'asc' } });
    return { status: delivery.status, attempts: attempts.map((a) => [a.attempt, a.statusCode, a.error]) };
  };
  expect(await log(stubborn, 2)).toEqual({
    status: 'DELIVERED',
    attempts: [
      [1, 500, 'answered HTTP 500'],
      [2, 500, 'answered HTTP 500'],
      [3, 204, null],
    ],
  });
  expect(await log(slow, 1)).toEqual({
    status: 'DELIVERED',
    attempts: [
      [1, 500, 'answered HTTP 500'],
      [2, null, `no answer within ${TIMEOUT_MS} ms`],
      [3, 204, null],
    ],
  });
});

test('a replayed delivery is sent once more, with the same event id and a fresh signature', async () => {
  const orderNo = await orderThrough([]);
  await dispatch();
  expect(arrivals(orderNo)).toHaveLength(1);
  const delivery = await db.orm.em.fork().findOneOrFail(WebhookDeliverySchema, { orderNo, seq: 1 });
  await replayDelivery(db.orm.em.fork(), delivery.id, { operator: 'ops-alice', reason: 'platform lost it', at: AT });
  await dispatch();
  expect(arrivals(orderNo).map((p) => p.id)).toEqual([delivery.event.id, delivery.event.id]);
  expect(receiver.refusedSignatures).toBe(0);
});

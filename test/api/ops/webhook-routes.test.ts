/**
 * The operators' webhook routes over HTTP on the real engine: the list of deliveries with their
 * event, one delivery with its attempt log, and the replay, which needs the `operator` role, a
 * reason and evidence, and is kept on the delivery.
 */
import request from 'supertest';
import { createOrder, transitionOrder } from '../../../src/db/repositories/orders';
import { fanOutEvents, recordAttempt } from '../../../src/db/repositories/webhooks';
import { WebhookDeliverySchema } from '../../../src/db/entities/webhook';
import { TEST_OPERATOR, TEST_VIEWER, useTestEngine } from '../../../tools/testing/engine';
import { orderInput } from '../../db/repositories/fixtures';

const running = useTestEngine();
const ops = () => request(running.engine.apiUrl);
const em = () => running.engine.db.orm.em.fork();
const asOperator = { 'x-operator-key': TEST_OPERATOR.key };
const asViewer = { 'x-operator-key': TEST_VIEWER.key };
const audit = { reason: 'the platform restored its database', evidenceRef: 'INC-2026-1202' };
const AT = new Date('2026-12-02T08:00:00Z');

let orderNo: string;
let failedId: string;

beforeAll(async () => {
  ({ orderNo } = await createOrder(em(), running.engine.pii, orderInput()));
  await transitionOrder(em(), { orderNo, to: 'SUBSCRIBED', cause: 'XJP_SUBSCRIBED', actor: 'SYSTEM', at: AT });
  await fanOutEvents(em(), ['platform'], AT, 1000);
  const first = await em().findOneOrFail(WebhookDeliverySchema, { orderNo, seq: 1 });
  failedId = first.id;
  await recordAttempt(em(), failedId, {
    delivered: false,
    statusCode: 502,
    error: 'answered HTTP 502',
    durationMs: 12,
    attemptedAt: AT,
    now: AT,
  });
});

test('GET /ops/webhooks/deliveries lists an order’s deliveries with their events, narrowed by status', async () => {
  const all = await ops().get('/ops/webhooks/deliveries').query({ orderNo }).set(asViewer);
  expect(all.status).toBe(200);
  expect(
    (all.body.deliveries as Array<{ event: { sequence: number; toStatus: string } }>)
      .map((d) => [d.event.sequence, d.event.toStatus])
      .sort(),
  ).toEqual([
    [1, 'CREATED'],
    [2, 'SUBSCRIBED'],
  ]);
  const delivered = await ops().get('/ops/webhooks/deliveries').query({ orderNo, status: 'DELIVERED' }).set(asViewer);
  expect(delivered.body.deliveries).toEqual([]);
  const bad = await ops().get('/ops/webhooks/deliveries').query({ status: 'LOST' }).set(asViewer);
  expect(bad.status).toBe(400);
});

test('GET /ops/webhooks/deliveries/:id shows the attempt log; an unknown id is 404', async () => {
  const one = await ops().get(`/ops/webhooks/deliveries/${failedId}`).set(asViewer);
  expect(one.status).toBe(200);
  expect(one.body).toMatchObject({
    deliveryId: failedId,
    endpoint: 'platform',
    status: 'PENDING',
    attempts: 1,
    lastError: 'answered HTTP 502',
    event: { orderNo, sequence: 1, toStatus: 'CREATED', cause: 'ORDER_CREATED' },
    log: [{ attempt: 1, statusCode: 502, error: 'answered HTTP 502', durationMs: 12 }],
  });
  const missing = await ops()
    .get(`/ops/webhooks/deliveries/whd_${'0'.repeat(32)}`)
    .set(asViewer);
  expect(missing.status).toBe(404);
});

test('POST …/replay queues the delivery again for an operator, with the reason kept; a viewer is refused', async () => {
  const path = `/ops/webhooks/deliveries/${failedId}/replay`;
  expect((await ops().post(path).send(audit)).status).toBe(401);
  const viewer = await ops().post(path).set(asViewer).send(audit);
  expect(viewer.status).toBe(403);
  const noReason = await ops().post(path).set(asOperator).send({});
  expect(noReason.status).toBe(400);

  const replayed = await ops().post(path).set(asOperator).send(audit);

  expect(replayed.status).toBe(202);
  expect(replayed.body).toMatchObject({
    deliveryId: failedId,
    status: 'PENDING',
    attempts: 0,
    replayedBy: TEST_OPERATOR.name,
    replayReason: audit.reason,
  });
  const stored = await em().findOneOrFail(WebhookDeliverySchema, { id: failedId });
  expect(stored).toMatchObject({ status: 'PENDING', attempts: 0, replayedBy: TEST_OPERATOR.name });
  const unknown = await ops()
    .post(`/ops/webhooks/deliveries/whd_${'0'.repeat(32)}/replay`)
    .set(asOperator)
    .send(audit);
  expect(unknown.status).toBe(404);
});

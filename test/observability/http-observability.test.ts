import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { createLogger } from '../../src/logging/logger';
import { purchaseStateQuery, purchaseWorkflowId } from '../../workflows/purchase/contract';
import { startTestEngine, type TestEngine } from '../../tools/testing/engine';
import { asPlatformFor, buy, payAtCashier, purchaseBody } from '../../tools/testing/purchases';
import { createTimeSkippingTestEnv } from '../../tools/testing/temporal';
import { collectLogLines } from '../../tools/testing/log-lines';
import { waitForState } from '../../tools/testing/wait';

/** The investor's personal data in clear, as purchaseBody sends it: none of it may reach a log line. */
const CLEAR_PII = ['11010519491231002X', '13800138000', '6222020200112233446', 'zhangsan@example.com'];

let env: TestWorkflowEnvironment;
let engine: TestEngine;
const { lines, destination } = collectLogLines();
let orderNo: string;

beforeAll(async () => {
  env = await createTimeSkippingTestEnv();
  engine = await startTestEngine(env, { logger: createLogger('api-test', { level: 'info', destination }) });
  const created = await buy(engine, purchaseBody('XJP-P-0002', 1_000_000, 'M-OBS'));
  expect(created.status).toBe(201);
  orderNo = created.body.orderNo as string;
  await payAtCashier(created.body.paymentUrl as string);
  await waitForState(
    () => engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).query(purchaseStateQuery),
    (s) => s.status === 'ACCRUING',
  );
  await request(engine.apiUrl)
    .get(`/v1/purchases/${orderNo}`)
    .set(await asPlatformFor('M-OBS'))
    .expect(200);
});

afterAll(async () => {
  await engine?.stop();
  await env?.teardown();
});

test('every request is logged once as JSON with method, route pattern, status and duration; a path with an order number adds orderNo', async () => {
  const lookup = lines.find((l) => l.msg === 'request' && l.route === '/v1/purchases/:orderNo');
  expect(lookup).toMatchObject({ method: 'GET', status: 200, orderNo, durationMs: expect.any(Number) });
  const purchase = lines.find((l) => l.msg === 'request' && l.route === '/v1/purchases' && l.method === 'POST');
  expect(purchase).toMatchObject({ status: 201 });
  expect(purchase).not.toHaveProperty('orderNo');
  const notify = lines.find(
    (l) => l.msg === 'request' && typeof l.route === 'string' && l.route.startsWith('/notify/xjp'),
  );
  expect(notify).toMatchObject({ method: 'POST', status: 200 });
});

test('no log line carries the investor’s ID card, mobile, card number or email in clear', () => {
  expect(lines.length).toBeGreaterThan(0);
  const text = JSON.stringify(lines);
  for (const value of CLEAR_PII) expect(text).not.toContain(value);
});

test('GET /metrics serves HTTP durations by route, orders by state, notifications by outcome and process metrics', async () => {
  const response = await request(engine.apiUrl).get('/metrics');
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain/);
  const text = response.text;
  expect(text).toMatch(
    /^http_request_duration_seconds_count\{method="GET",route="\/v1\/purchases\/:orderNo",status="200"\} 1$/m,
  );
  expect(text).toMatch(
    /^http_request_duration_seconds_count\{method="POST",route="\/v1\/purchases",status="201"\} 1$/m,
  );
  expect(text).toMatch(/^xjp_orders\{state="ACCRUING"\} 1$/m);
  expect(text).toMatch(/^xjp_orders\{state="COMPLETED"\} 0$/m);
  expect(text).toMatch(/^xjp_partner_notification_deliveries_total\{partner="XJP",result="ACCEPTED"\} 1$/m);
  expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
  expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  expect(text).not.toContain(orderNo);
});

test('a request no route matched is labelled "unmatched", so raw paths never become metric labels', async () => {
  await request(engine.apiUrl).get('/no/such/XJP20990101000001').expect(404);
  const text = (await request(engine.apiUrl).get('/metrics')).text;
  expect(text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} 1$/m);
  expect(text).not.toContain('/no/such');
});

test('health probes and scrapes are logged at debug, below the info level, so they do not drown the order lines', async () => {
  await request(engine.apiUrl).get('/healthz').expect(200);
  await request(engine.apiUrl).get('/metrics').expect(200);
  const polled = lines.filter((l) => l.msg === 'request' && (l.route === '/healthz' || l.route === '/metrics'));
  expect(polled).toEqual([]);
});

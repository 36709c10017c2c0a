/**
 * Request correlation and tracing through the whole engine on the time-skipping server: the
 * `X-Request-Id` of a purchase reaches the API's log line and the log context of the activities the
 * purchase runs, and its trace goes from the API's span through the workflow to the activities and
 * their partner call.
 */
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Runtime } from '@temporalio/worker';
import { createLogger } from '../../src/logging/logger';
import { temporalLoggerOn } from '../../src/observability/temporal-logger';
import { startTracing } from '../../src/observability/tracing';
import { TEST_API_KEY, useTestEngine } from '../../tools/testing/engine';
import { collectLogLines } from '../../tools/testing/log-lines';
import { asMember } from '../../tools/testing/member-tokens';
import { memberAction, purchaseBody } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const api = collectLogLines();
const worker = collectLogLines();
// Before the first Temporal connection: the SDK's runtime (and so activity log lines) is made once per process.
Runtime.install({
  logger: temporalLoggerOn(createLogger('worker', { level: 'debug', destination: worker.destination })),
});
const spans = new InMemorySpanExporter();
const tracing = startTracing({ serviceName: 'xjp-order-engine-test', spanProcessor: new SimpleSpanProcessor(spans) });

const running = useTestEngine({
  logger: createLogger('api-test', { level: 'info', destination: api.destination }),
  tracing,
});

afterAll(() => tracing.shutdown());

async function postPurchase(
  memberId: string,
  requestId?: string,
): Promise<{ status: number; requestId: string | null; body: Record<string, unknown> }> {
  const response = await fetch(`${running.engine.apiUrl}/v1/purchases`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': TEST_API_KEY,
      'idempotency-key': `idem-${memberId}`,
      ...(requestId === undefined ? {} : { 'x-request-id': requestId }),
      ...(await asMember(memberId)),
    },
    body: JSON.stringify(purchaseBody('XJP-P-0002', 1_000_000, memberId)),
  });
  return {
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

test('a caller’s X-Request-Id is echoed and carried by the API’s log line and by the log lines of the activities the purchase ran', async () => {
  const sent = 'req-trace-0001';
  const bought = await postPurchase('M-TRACE-1', sent);
  expect(bought.status).toBe(201);
  expect(bought.requestId).toBe(sent);
  const orderNo = bought.body.orderNo as string;

  const requestLine = api.lines.find((l) => l.msg === 'request' && l.route === '/v1/purchases');
  expect(requestLine).toMatchObject({ requestId: sent, method: 'POST', status: 201 });
  // The SDK's own line at the end of each activity, with the workflow's orderNo and the request's id.
  const activityLines = await waitForState(
    async () => worker.lines.filter((l) => l.msg === 'Activity completed' && l.orderNo === orderNo),
    (lines) => lines.length > 0,
  );
  for (const line of activityLines) expect(line).toMatchObject({ requestId: sent, activityType: expect.any(String) });
});

test('a request without an id, or with a malformed one, gets a fresh id, echoed and logged', async () => {
  const none = await postPurchase('M-TRACE-2');
  const forged = await postPurchase('M-TRACE-3', 'two words\tand a tab');
  for (const answer of [none, forged]) {
    expect(answer.status).toBe(201);
    expect(answer.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  }
  expect(none.requestId).not.toBe(forged.requestId);
  const logged = api.lines.filter((l) => l.msg === 'request' && l.route === '/v1/purchases').map((l) => l.requestId);
  expect(logged).toEqual(expect.arrayContaining([none.requestId, forged.requestId]));
});

/** The span's ancestors, nearest first, as far as the exported spans go. */
function ancestorsOf(span: ReadableSpan, all: readonly ReadableSpan[]): ReadableSpan[] {
  const byId = new Map(all.map((s) => [s.spanContext().spanId, s]));
  const chain: ReadableSpan[] = [];
  for (
    let parent = byId.get(span.parentSpanId ?? '');
    parent !== undefined;
    parent = byId.get(parent.parentSpanId ?? '')
  )
    chain.push(parent);
  return chain;
}

test('one trace runs from the API’s span through the workflow to its activities and their call to XJP', async () => {
  const bought = await postPurchase('M-TRACE-4', 'req-trace-0004');
  expect(bought.status).toBe(201);
  // A run's own span ends with the run: the member cancels the unpaid order, so it ends now.
  const cancelled = await memberAction(running.engine, bought.body.orderNo as string, 'cancel', 'M-TRACE-4');
  expect(cancelled.status).toBe(200);
  const root = spans
    .getFinishedSpans()
    .find((s) => s.name === 'POST /v1/purchases' && s.attributes['xjp.request_id'] === 'req-trace-0004');
  expect(root).toBeDefined();
  const traceId = root?.spanContext().traceId;
  // Workflow spans come out of the sandbox through a sink after their activation: wait for them.
  await waitForState(
    async () =>
      spans
        .getFinishedSpans()
        .filter((s) => s.spanContext().traceId === traceId)
        .map((s) => s.name),
    (names) => names.includes('RunWorkflow:purchaseWorkflow'),
  );
  const inTrace = spans.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  expect(root?.parentSpanId).toBeUndefined();
  const xjpCall = inTrace.find((s) => s.name === 'POST XJP /api/subscriptions');
  expect(xjpCall).toBeDefined();
  const chain = ancestorsOf(xjpCall as ReadableSpan, inTrace).map((s) => s.name);
  expect(chain).toEqual([
    'RunActivity:subscribeInvestor',
    'StartActivity:subscribeInvestor',
    'RunWorkflow:purchaseWorkflow',
    'UpdateWithStartWorkflow:subscriptionOutcome',
    'POST /v1/purchases',
  ]);
  expect(ancestorsOf(xjpCall as ReadableSpan, inTrace).at(-1)).toBe(root);
});

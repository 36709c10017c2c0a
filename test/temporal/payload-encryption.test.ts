/**
 * With TEMPORAL_PAYLOAD_KEYS the Temporal server holds ciphertext only: a real purchase's history
 * (activity inputs and results with the product's terms, a refusal's reason) carries none of the
 * plaintext, while the engine (client, worker, API) and an operator through /codec still read it.
 */
import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING } from '../../src/temporal/payload-codec';
import { purchaseWorkflowId } from '../../workflows/purchase/contract';
import { TEST_OPERATOR, useTestEngine } from '../../tools/testing/engine';
import { asPlatformFor, buy, purchaseBody } from '../../tools/testing/purchases';

const payloadKeys = [{ id: 'k-2026-12', key: randomBytes(32) }];
const UI_ORIGIN = 'http://127.0.0.1:8233';
const running = useTestEngine({ payloadKeys, codecCorsOrigins: [UI_ORIGIN] });

/** Refused below XJP's minimum: the refusal's reason travels in activity inputs, the update's answer and the run's result. */
const AMOUNT_FEN = 12_300;
const REFUSAL_MARKER = 'BELOW_MINIMUM';
/** The product code travels in activity results (the order's terms), never in search attributes. */
const TERMS_MARKER = 'XJP90D2611';

let orderNo: string;
let history: temporal.api.history.v1.IHistory;

beforeAll(async () => {
  const refused = await buy(running.engine, purchaseBody('XJP-P-0002', AMOUNT_FEN));
  expect(refused.body).toMatchObject({ error: { code: 'BELOW_MINIMUM' } });
  orderNo = /XJP\d{14}/.exec(String((refused.body.error as { message: string }).message))?.[0] ?? '';
  history = await running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).fetchHistory();
});

function payloadsOf(events: temporal.api.history.v1.IHistoryEvent[]): Payload[] {
  return events.flatMap((e) => [
    ...(e.activityTaskCompletedEventAttributes?.result?.payloads ?? []),
    ...(e.workflowExecutionStartedEventAttributes?.input?.payloads ?? []),
    ...(e.activityTaskScheduledEventAttributes?.input?.payloads ?? []),
    ...(e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success?.payloads ?? []),
    ...(e.workflowExecutionCompletedEventAttributes?.result?.payloads ?? []),
    ...(e.activityTaskFailedEventAttributes?.failure?.cause?.encodedAttributes
      ? [e.activityTaskFailedEventAttributes.failure.cause.encodedAttributes]
      : []),
    ...(e.activityTaskFailedEventAttributes?.failure?.encodedAttributes
      ? [e.activityTaskFailedEventAttributes.failure.encodedAttributes]
      : []),
  ]);
}

test('the history the server stores holds neither the terms nor the refusal reason in plain text', () => {
  const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
  expect(history.events?.length).toBeGreaterThan(3);
  expect(bytes.includes(TERMS_MARKER)).toBe(false);
  expect(bytes.includes(REFUSAL_MARKER)).toBe(false);
  const payloads = payloadsOf(history.events ?? []);
  expect(payloads.length).toBeGreaterThan(2);
  for (const payload of payloads)
    expect(Buffer.from(payload.metadata?.encoding ?? []).toString()).toBe(ENCRYPTED_ENCODING);
});

test('the same payloads decrypt to the plain terms and refusal reason, so the markers above were really there', async () => {
  const decoded = await new AesGcmPayloadCodec(payloadKeys).decode(payloadsOf(history.events ?? []));
  const text = decoded.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
  expect(text).toContain(TERMS_MARKER);
  expect(text).toContain(REFUSAL_MARKER);
});

test('the engine reads its own encrypted runs: the order is REJECTED with the refusal reason', async () => {
  const response = await fetch(`${running.engine.apiUrl}/v1/purchases/${orderNo}`, {
    headers: await asPlatformFor('M10001'),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ status: 'REJECTED', rejectReason: 'BELOW_MINIMUM' });
});

async function postToCodec(path: string, payloads: Payload[], headers: Record<string, string>): Promise<Response> {
  const body = {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(
        Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      ),
      data: Buffer.from(p.data ?? []).toString('base64'),
    })),
  };
  return fetch(`${running.engine.apiUrl}/codec${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('the codec endpoint the Web UI decodes through', () => {
  const encrypted = () => payloadsOf(history.events ?? []);

  test('decodes the history payloads for an operator (Bearer token, as the Web UI passes it)', async () => {
    const response = await postToCodec('/decode', encrypted(), {
      authorization: `Bearer ${TEST_OPERATOR.key}`,
      origin: UI_ORIGIN,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const { payloads } = (await response.json()) as {
      payloads: Array<{ metadata: Record<string, string>; data: string }>;
    };
    expect(payloads).toHaveLength(encrypted().length);
    for (const p of payloads)
      expect(Buffer.from(p.metadata.encoding ?? '', 'base64').toString()).not.toBe(ENCRYPTED_ENCODING);
    expect(payloads.map((p) => Buffer.from(p.data, 'base64').toString('utf8')).join('\n')).toContain(TERMS_MARKER);
  });

  test('answers 401 without an operator key, and with a wrong one, and decodes nothing', async () => {
    const attempts: Array<Record<string, string>> = [{}, { 'x-operator-key': 'not-an-operator-key-0000' }];
    for (const headers of attempts) {
      const response = await postToCodec('/decode', encrypted(), headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    }
  });

  test("answers the Web UI's preflight for its origin only", async () => {
    const allowed = await fetch(`${running.engine.apiUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await fetch(`${running.engine.apiUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('a malformed body is 400 with the field, and a payload under an unknown key is 422 UNKNOWN_PAYLOAD_KEY', async () => {
    const malformed = await fetch(`${running.engine.apiUrl}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-operator-key': TEST_OPERATOR.key },
      body: JSON.stringify({ payloads: [{ data: '%%%' }] }),
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', fields: [expect.objectContaining({ field: 'body.payloads.0.data' })] },
    });
    const foreign = await new AesGcmPayloadCodec([{ id: 'other', key: randomBytes(32) }]).encode([
      { metadata: {}, data: Buffer.from('x') },
    ]);
    const unknown = await postToCodec('/decode', foreign, { 'x-operator-key': TEST_OPERATOR.key });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ error: { code: 'UNKNOWN_PAYLOAD_KEY' } });
  });
});

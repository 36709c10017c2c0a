/**
 * Generated bad requests across every route: for each field of the purchase request (walked from
 * its zod schema) wrong types, out-of-range and huge numbers, control characters, huge strings,
 * missing and extra fields and `__proto__` keys; oversized bodies, odd encodings and charsets; bad
 * path parameters and queries on every other route; garbage on the notification endpoints.
 */
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { purchaseRequestSchema } from '../../src/api/purchase-schemas';
import type { ChaosStack } from './processes';
import { purchaseBody } from './purchases';
import { pool, send, type Tally } from './http';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values that are wrong for almost any field. */
const BAD_VALUES: readonly Json[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 80,
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u001b[2J',
  '\u202e',
  '\ud800',
  'x'.repeat(5_000),
  '1e9999',
  'NaN',
  '-0',
  '0x10',
  '<script>',
  "' or 1=1 --",
  '../../etc/passwd',
  [],
  [1, 2],
  {},
  { $ne: null },
  { __proto__: { polluted: true } } as unknown as Json,
  '9999-12-31',
  '0000-00-00',
  '２０２６',
  '🙂'.repeat(100),
];

/** Dotted paths of every leaf field in a zod object schema. */
function leafPaths(schema: z.ZodType, prefix: string[] = []): string[][] {
  if (schema instanceof z.ZodObject) {
    return Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([key, inner]) =>
      leafPaths(inner, [...prefix, key]),
    );
  }
  return [prefix];
}

function withValue(body: Record<string, Json>, path: string[], value: Json | undefined): Record<string, Json> {
  const copy = structuredClone(body);
  let node: Record<string, Json> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, Json>;
  const last = path[path.length - 1] ?? '';
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** One hostile request: where, how, and what it is (for the report). */
interface Hostile {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  what: string;
}

function purchaseRequests(): Hostile[] {
  const valid = purchaseBody('M-HOSTILE', 100_000) as unknown as Record<string, Json>;
  const bodies: Array<{ body: string | Buffer; what: string; headers?: Record<string, string> }> = [];
  for (const path of leafPaths(purchaseRequestSchema)) {
    for (const value of BAD_VALUES)
      bodies.push({
        body: JSON.stringify(withValue(valid, path, value)),
        what: `${path.join('.')}=${JSON.stringify(value)?.slice(0, 20)}`,
      });
    bodies.push({ body: JSON.stringify(withValue(valid, path, undefined)), what: `${path.join('.')} missing` });
  }
  bodies.push({ body: JSON.stringify({ ...valid, extra: 1 }), what: 'extra field' });
  bodies.push({ body: `{"__proto__":{"isAdmin":true},${JSON.stringify(valid).slice(1)}`, what: '__proto__ key' });
  bodies.push({
    body: `{"constructor":{"prototype":{"x":1}},${JSON.stringify(valid).slice(1)}`,
    what: 'constructor key',
  });
  bodies.push({ body: JSON.stringify({ ...valid, pad: 'x'.repeat(40_000) }), what: 'oversized body' });
  bodies.push({ body: '['.repeat(5_000), what: 'deep nesting' });
  bodies.push({ body: '\u0000', what: 'one NUL byte' });
  bodies.push({ body: '', what: 'empty body' });
  bodies.push({ body: 'not json', what: 'not JSON' });
  bodies.push({ body: JSON.stringify([valid]), what: 'an array' });
  bodies.push({ body: Buffer.from('{"a":1}'), headers: { 'content-encoding': 'gzip' }, what: 'gzip that is not' });
  bodies.push({
    body: gzipSync(JSON.stringify(valid)),
    headers: { 'content-encoding': 'br' },
    what: 'gzip labelled br',
  });
  bodies.push({ body: gzipSync('x'.repeat(1_000_000)), headers: { 'content-encoding': 'gzip' }, what: 'gzip bomb' });
  bodies.push({
    body: JSON.stringify(valid),
    headers: { 'content-type': 'application/json; charset=utf-16' },
    what: 'utf-16 charset',
  });
  bodies.push({ body: JSON.stringify(valid), headers: { 'content-type': 'text/plain' }, what: 'text/plain' });
  bodies.push({ body: JSON.stringify(valid), headers: { 'content-encoding': 'compress' }, what: 'unknown encoding' });
  const keys = [undefined, '', 'short', 'x'.repeat(200), 'bad key with spaces', '%00%00%00%00%00', 'k%00ey-1234'];
  return bodies.flatMap(({ body, what, headers }, i) => {
    const key = keys[i % keys.length];
    return [
      {
        method: 'POST',
        path: '/v1/purchases',
        body,
        what,
        headers: {
          'content-type': 'application/json',
          ...(key === undefined ? {} : { 'idempotency-key': `hostile-${i}-${key}` }),
          ...headers,
        },
      },
    ];
  });
}

/** Path parameters and query values nobody should send. */
const BAD_SEGMENTS = [
  '%00',
  '%',
  '%zz',
  '..',
  '%2e%2e%2f',
  'x'.repeat(3_000),
  '%F0%9F%99%82',
  '-1',
  '1e999',
  'XJP99999999999999',
  '__proto__',
  'constructor',
  '%0d%0aSet-Cookie:x=1',
  "'%20or%201=1",
  '%C0%AF',
];
const BAD_QUERIES = [
  '%00',
  '9999-12-31',
  '0000-01-01',
  '2026-02-30',
  '-1',
  '1e309',
  'x'.repeat(3_000),
  '[]',
  '__proto__',
  '%ff',
  'NaN',
  '99999999999999999999',
];

function routeRequests(): Hostile[] {
  const requests: Hostile[] = [];
  for (const segment of BAD_SEGMENTS) {
    for (const path of [
      '/v1/purchases/S',
      '/v1/purchases/S/contract',
      '/v1/products/S',
      '/v1/members/S/holdings',
      '/v1/members/S/income?from=2026-01-01&to=2026-01-31',
      '/ops/orders/S',
      '/ops/reconciliation?date=S',
    ]) {
      requests.push({
        method: 'GET',
        path: path.replace('S', segment),
        what: `GET ${path} with ${segment.slice(0, 12)}`,
      });
    }
    for (const path of [
      '/v1/purchases/S/cancel',
      '/v1/purchases/S/withdraw',
      '/ops/orders/S/retry-payout',
      '/ops/orders/S/interest-decision',
      '/ops/reconciliation/S/run',
    ]) {
      requests.push({
        method: 'POST',
        path: path.replace('S', segment),
        body: '{}',
        headers: { 'content-type': 'application/json' },
        what: `POST ${path} with ${segment.slice(0, 12)}`,
      });
    }
  }
  for (const value of BAD_QUERIES) {
    for (const name of ['orderNo', 'memberId', 'productId', 'state', 'createdFrom', 'createdTo', 'page', 'pageSize']) {
      requests.push({ method: 'GET', path: `/ops/orders?${name}=${value}`, what: `ops ${name}=${value.slice(0, 12)}` });
    }
    requests.push({ method: 'GET', path: `/ops/overview?date=${value}`, what: `overview date=${value.slice(0, 12)}` });
    requests.push({
      method: 'GET',
      path: `/v1/products?page=${value}&size=${value}`,
      what: `products page=${value.slice(0, 12)}`,
    });
    requests.push({
      method: 'GET',
      path: `/v1/members/M1/income?from=${value}&to=${value}`,
      what: `income from=${value.slice(0, 12)}`,
    });
  }
  for (const decision of BAD_VALUES) {
    requests.push({
      method: 'POST',
      path: '/ops/orders/XJP20260101000001/interest-decision',
      body: JSON.stringify({ decision }),
      headers: { 'content-type': 'application/json' },
      what: `decision ${JSON.stringify(decision)?.slice(0, 12)}`,
    });
  }
  for (const body of [
    '\u0000',
    '',
    '{',
    'x'.repeat(70_000),
    '{"notificationId":"\u0000"}',
    JSON.stringify({ sign: 'x', timestamp: '9999-12-31T00:00:00Z' }),
    '[]',
    'null',
    '{"__proto__":{"a":1}}',
  ]) {
    for (const path of ['/notify/xjp/payment', '/notify/lianlian/payout']) {
      requests.push({
        method: 'POST',
        path,
        body,
        headers: { 'content-type': 'application/json' },
        what: `notify garbage ${body.slice(0, 10)}`,
      });
      requests.push({
        method: 'POST',
        path,
        body: Buffer.from(body),
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        what: 'notify bad gzip',
      });
    }
  }
  return requests;
}

/** Sends at least `atLeast` hostile requests (the generated set repeated with authentication varied) and counts the answers. */
export async function hostileRequests(
  stack: ChaosStack,
  tally: Tally,
  atLeast: number,
  concurrency: number,
): Promise<number> {
  const generated = [...purchaseRequests(), ...routeRequests()];
  const auth: Array<Record<string, string>> = [
    { 'x-api-key': stack.apiKey, 'x-operator-key': stack.operatorKey },
    {},
    { 'x-api-key': 'wrong', 'x-operator-key': 'wrong' },
    {
      'x-api-key': stack.apiKey,
      'x-operator-key': stack.operatorKey,
      'x-member-id': '%00',
      'x-member-timestamp': '1e999',
      'x-member-signature': 'zz',
    },
  ];
  const requests: Hostile[] = [];
  for (let round = 0; requests.length < atLeast; round += 1) {
    for (const request of generated)
      requests.push({ ...request, headers: { ...auth[round % auth.length], ...request.headers } });
  }
  await pool(requests, concurrency, async (request) => {
    await send(tally, `${stack.apiUrl}${request.path}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    });
  });
  return requests.length;
}

/**
 * Input no caller should send, over real HTTP against the whole engine: each is a 4xx with a code
 * (and a field, where there is one), never a 500 — control characters, a body that does not match
 * its content-encoding, dates PostgreSQL or date arithmetic cannot hold.
 */
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { TEST_API_KEY, TEST_OPERATOR, useTestEngine } from '../../tools/testing/engine';
import { purchaseBody } from '../../tools/testing/purchases';

const running = useTestEngine();

const api = () => request(running.engine.apiUrl);
const ops = (path: string) => api().get(path).set('x-operator-key', TEST_OPERATOR.key);

test.each([
  [
    'a NUL in the investor name',
    { investor: { ...purchaseBody('XJP-P-0002', 1_000_000).investor, name: '张\u0000三' } },
    'body.investor.name',
  ],
  ['a control character in the member id', { memberId: 'M1\u001b[2J' }, 'body.memberId'],
  ['a NUL in a key', { ['channel\u0000']: 'PC' }, 'body.channel\u0000'],
])('a purchase with %s is refused 400 VALIDATION_FAILED naming the field', async (_case, change, field) => {
  const response = await api()
    .post('/v1/purchases')
    .set('x-api-key', TEST_API_KEY)
    .set('idempotency-key', `malformed-${field.replace(/[^\w.]/g, '_')}`)
    .send({ ...purchaseBody('XJP-P-0002', 1_000_000), ...change });

  expect(response.status).toBe(400);
  expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field }] });
});

test.each([
  ['an order number %00', '/v1/purchases/%00', 'path'],
  ['a product id %00 in a query', '/v1/products?page=1%00', 'query'],
])('%s is refused 400 before any route reads it', async (_case, path, field) => {
  const response = await api().get(path).set('x-api-key', TEST_API_KEY);

  expect(response.status).toBe(400);
  expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field }] });
});

test('productId=%00 on /ops/orders is refused 400', async () => {
  const response = await ops('/ops/orders?productId=%00');

  expect(response.status).toBe(400);
  expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'query' }] });
});

test.each([
  ['/ops/orders?createdTo=9999-12-31', 'query.createdTo'],
  ['/ops/orders?createdFrom=0001-01-01', 'query.createdFrom'],
  ['/ops/overview?date=9999-12-31', 'query.date'],
])('an out-of-range date (%s) is refused 400 naming the field', async (path, field) => {
  const response = await ops(path);

  expect(response.status).toBe(400);
  expect(response.body.error).toMatchObject({
    code: 'VALIDATION_FAILED',
    fields: expect.arrayContaining([expect.objectContaining({ field })]),
  });
});

test.each([
  ['gzip', Buffer.from('{"not":"gzip"}')],
  ['deflate', Buffer.from('plain text')],
  ['br', gzipSync('{}')],
])('a body sent as content-encoding %s that is not is refused 400 MALFORMED_BODY', async (encoding, body) => {
  const response = await api()
    .post('/v1/purchases')
    .set('x-api-key', TEST_API_KEY)
    .set('idempotency-key', `encoding-${encoding}`)
    .set('content-type', 'application/json')
    .set('content-encoding', encoding)
    .send(body);

  expect(response.status).toBe(400);
  expect(response.body.error).toMatchObject({ code: 'MALFORMED_BODY' });
});

test('/readyz names each dependency without the driver’s own words', async () => {
  const response = await api().get('/readyz');

  expect(response.status).toBe(200);
  expect(response.body).toEqual({ status: 'ok', checks: { database: 'ok', temporal: 'ok' } });
});

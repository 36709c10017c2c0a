/** `GET /v1/products` and `/v1/products/:idOrCode` over real HTTP, from the XJP simulator through the client. */
import request from 'supertest';
import { raiseProgressPercent } from '../../../src/api/investor/product-view';
import { PRODUCT_CACHE_TTL_MS } from '../../../src/api/investor/product-routes';
import { productPageSchema, productSchema } from '../../../src/api/investor/schemas';
import { TEST_API_KEY, useTestEngine } from '../../../tools/testing/engine';
import { simAdmin } from '../../../tools/testing/purchases';

// The API's clock: tests move it past the cache lifetime instead of waiting.
let apiNowMs = Date.parse('2026-11-24T02:00:00Z');

const running = useTestEngine({ apiNow: () => new Date(apiNowMs) });

function get(path: string) {
  return request(running.engine.apiUrl).get(path).set('x-api-key', TEST_API_KEY);
}

test('the list is paged from XJP, each product with exact raise progress', async () => {
  const first = await get('/v1/products?page=1&size=3').expect(200);
  const page = productPageSchema.parse(first.body);
  expect(page).toMatchObject({ page: 1, size: 3, total: 7 });
  expect(page.items.map((p) => p.productId)).toEqual(['XJP-P-0001', 'XJP-P-0002', 'XJP-P-0003']);
  // Seeded: 120万 of 500万 raised, 350万 of 1000万, nothing of 800万.
  expect(page.items.map((p) => p.raiseProgressPercent)).toEqual(['24.00', '35.00', '0.00']);
  expect(page.items[1]).toMatchObject({
    annualRate: '0.038',
    annualRatePercent: '3.80%',
    raisedFen: 350_000_000,
    remainingFen: 650_000_000,
    term: { unit: 'DAY', value: 90 },
  });

  const last = productPageSchema.parse((await get('/v1/products?page=3&size=3').expect(200)).body);
  expect(last.items.map((p) => p.productId)).toEqual(['XJP-P-0007']);
});

test('raise progress is floored to 0.01% on integers and capped at 100.00', () => {
  expect(raiseProgressPercent(350_000_000, 1_000_000_000)).toBe('35.00');
  expect(raiseProgressPercent(1, 3)).toBe('33.33');
  expect(raiseProgressPercent(2, 3)).toBe('66.66');
  expect(raiseProgressPercent(999_999_999, 1_000_000_000)).toBe('99.99');
  expect(raiseProgressPercent(300_000_000, 300_000_000)).toBe('100.00');
  expect(raiseProgressPercent(400, 300)).toBe('100.00');
  expect(raiseProgressPercent(0, 0)).toBe('0.00');
  expect(raiseProgressPercent(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).toBe('100.00');
});

test('one product is found by id and by code; a sold-out one shows 100.00', async () => {
  const byId = productSchema.parse((await get('/v1/products/XJP-P-0002').expect(200)).body);
  const byCode = productSchema.parse((await get('/v1/products/XJP90D2611').expect(200)).body);
  expect(byCode).toEqual(byId);
  expect(byId).toMatchObject({ productCode: 'XJP90D2611', raiseProgressPercent: '35.00' });
  const full = productSchema.parse((await get('/v1/products/XJP-P-0006').expect(200)).body);
  expect(full.raiseProgressPercent).toBe('100.00');
  expect(full.remainingFen).toBe(0);
});

test('an unknown product is 404, a malformed key 400', async () => {
  const missing = await get('/v1/products/NO-SUCH-PRODUCT').expect(404);
  expect(missing.body.error.code).toBe('PRODUCT_NOT_FOUND');
  const malformed = await get('/v1/products/bad%20key').expect(400);
  expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
  await get('/v1/products?size=51').expect(400);
  await get('/v1/products?page=0').expect(400);
});

test('XJP failing answers 503 with a clear message, not a 500', async () => {
  await simAdmin(running.engine.xjpUrl, '/faults', { endpoint: '/api/products/list', kind: 'error500', count: 1 });
  const down = await get('/v1/products?page=2&size=2').expect(503);
  expect(down.body.error.code).toBe('PARTNER_UNAVAILABLE');
  expect(down.body.error.message).toMatch(/catalogue is unavailable/);
  // The failure was not cached: the next call reaches XJP again.
  await get('/v1/products?page=2&size=2').expect(200);
});

test('a dropped connection at XJP is 503 too', async () => {
  await simAdmin(running.engine.xjpUrl, '/faults', {
    endpoint: '/api/products/get',
    kind: 'timeout',
    count: 1,
    latencyMs: 100,
  });
  const down = await get('/v1/products/XJP-P-0005').expect(503);
  expect(down.body.error.code).toBe('PARTNER_UNAVAILABLE');
});

test('answers are cached for the stated lifetime, then fetched again', async () => {
  await get('/v1/products/XJP-P-0001').expect(200);
  await simAdmin(running.engine.xjpUrl, '/faults', { endpoint: '/api/products/get', kind: 'error500', count: 1 });
  // Within the lifetime XJP is not asked, so its fault is not seen.
  apiNowMs += PRODUCT_CACHE_TTL_MS - 1_000;
  await get('/v1/products/XJP-P-0001').expect(200);
  apiNowMs += 2_000;
  await get('/v1/products/XJP-P-0001').expect(503);
});

test('the products need the platform API key', async () => {
  await request(running.engine.apiUrl).get('/v1/products').expect(401);
});

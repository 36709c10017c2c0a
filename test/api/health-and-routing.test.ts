/** Health probes and the answer to routes the API does not have, over real HTTP. */
import request from 'supertest';
import { TEST_API_KEY, useTestEngine } from '../../tools/testing/engine';


const running = useTestEngine();

test('GET /healthz answers 200 without credentials', async () => {
  const response = await request(running.engine.apiUrl).get('/healthz');
  expect(response.status).toBe(200);
  expect(response.body).toEqual({ status: 'ok' });
});

test('GET /readyz answers 200 with the database and Temporal both ok', async () => {
  const response = await request(running.engine.apiUrl).get('/readyz');
  expect(response.status).toBe(200);
  expect(response.body).toEqual({ status: 'ok', checks: { database: 'ok', temporal: 'ok' } });
});

test.each([
  ['GET', '/nowhere'],
  ['GET', '/notify/xjp/payment'],
  ['DELETE', '/v1/purchases'],
  ['GET', '/v1/nothing-here'],
])('%s %s (no such route) answers 404 JSON NOT_FOUND', async (method, path) => {
  const agent = request(running.engine.apiUrl);
  const req = method === 'GET' ? agent.get(path) : agent.delete(path);
  const response = await req.set('x-api-key', TEST_API_KEY);
  expect(response.status).toBe(404);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
});

test('an unknown route under /v1 without an API key answers 401, revealing nothing about routes', async () => {
  const response = await request(running.engine.apiUrl).get('/v1/nothing-here');
  expect(response.status).toBe(401);
  expect(response.body.error.code).toBe('UNAUTHENTICATED');
});

/** Health probes and the answer to routes the API does not have, over real HTTP. */
import { MikroORM } from '@mikro-orm/postgresql';
import request from 'supertest';
import { createApiApp } from '../../src/api/app';
import { findFreePort } from '../../src/db/embedded-postgres';
import { createOrmConfig } from '../../src/db/orm-config';
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

test('GET /readyz names the dependency that is down, without its error text', async () => {
  // A second API over a database that is not there (a closed port): PostgreSQL down, Temporal up.
  const orm = await MikroORM.init({
    ...createOrmConfig({ clientUrl: `postgresql://nobody:secret-password@127.0.0.1:${await findFreePort()}/nothing` }),
    connect: false,
  });
  try {
    const response = await request(createApiApp({ ...running.engine.apiDependencies, orm })).get('/readyz');
    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      status: 'unavailable',
      checks: { database: 'down', temporal: 'ok' },
      down: ['database'],
    });
    expect(response.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|nobody|secret-password/);
  } finally {
    await orm.close(true);
  }
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

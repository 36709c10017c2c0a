import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { State } from '@temporalio/worker';
import { createWorkerHealthServer } from '../../src/runtime/worker-health';

let state: State = 'RUNNING';
let server: Server;
let base: string;

beforeAll(async () => {
  server = createWorkerHealthServer({ getState: () => state });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function probe(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: await response.json() };
}

test.each<[State, number, number]>([
  ['INITIALIZED', 200, 503],
  ['RUNNING', 200, 200],
  // SIGTERM: no new tasks are taken (not ready), in-flight ones still finish (alive, so not killed).
  ['STOPPING', 200, 503],
  ['DRAINING', 200, 503],
  ['FAILED', 503, 503],
  ['STOPPED', 503, 503],
])('a worker %s answers /healthz %d and /readyz %d', async (current, live, ready) => {
  state = current;
  expect(await probe('/healthz')).toEqual({
    status: live,
    body: { status: live === 200 ? 'ok' : 'unavailable', worker: current },
  });
  expect((await probe('/readyz')).status).toBe(ready);
});

test('any other path is 404 NOT_FOUND', async () => {
  expect(await probe('/metrics')).toEqual({
    status: 404,
    body: { error: { code: 'NOT_FOUND', message: 'no such route' } },
  });
});

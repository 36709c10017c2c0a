/**
 * A request's Temporal call still in flight when the process stops is cancelled by the stop, not
 * left retrying on a connection the stop closes next (where it failed later, with nobody to answer,
 * as "Channel has been shut down" and failed whole test files at teardown).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { defineUpdate } from '@temporalio/workflow';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import express from 'express';
import { temporalCallsEndWith } from '../../src/api/shutdown-abort';
import { createTimeSkippingTestEnv } from '../../tools/testing/temporal';

/** An Update no worker will ever take: the call waits until something ends it. */
const neverAnswered = defineUpdate<string>('neverAnswered');

let env: TestWorkflowEnvironment;
let server: Server;
let url = '';
const stopping = new AbortController();

beforeAll(async () => {
  env = await createTimeSkippingTestEnv();
  await env.client.workflow.start('nobodyRunsThis', {
    taskQueue: 'no-worker-polls-this',
    workflowId: 'waits-for-ever',
  });
  const app = express();
  app.use(temporalCallsEndWith(env.client, stopping.signal));
  app.get('/wait', async (_req, res) => {
    try {
      await env.client.workflow.getHandle('waits-for-ever').executeUpdate(neverAnswered);
      res.json({ outcome: 'ANSWERED' });
    } catch (err) {
      res.json({ outcome: 'ENDED', error: (err as Error).name, signalAborted: stopping.signal.aborted });
    }
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await env.teardown();
});

test('the stop signal ends a call waiting on a run: the handler gets the cancellation and answers', async () => {
  let settled = false;
  const answer = fetch(`${url}/wait`).then(async (r) => {
    settled = true;
    return (await r.json()) as Record<string, unknown>;
  });
  // Still waiting a second later: only the stop ends it.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(settled).toBe(false);
  stopping.abort();
  expect(await answer).toMatchObject({ outcome: 'ENDED', signalAborted: true });
});

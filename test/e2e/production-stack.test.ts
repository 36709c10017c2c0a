/**
 * The production-shape stack (npm run stack) carries an order from purchase to ACCRUING: compiled
 * APIs and workers (two of each) on the real Temporal server with PostgreSQL persistence and
 * visibility. One worker is stopped (SIGTERM, as an orchestrator stops it) while the order's run is
 * in flight; it exits cleanly and the other worker carries the order on.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { readDevApiKey, readDevMemberTokenKey } from '../../tools/dev/dev-secrets';
import { memberTokenHeader } from '../../tools/dev/member-token';
import { startProductionStack, type ProductionStack } from '../../tools/dev/production-stack';
import { freePort } from '../../tools/temporal/servers';
import { payAtCashier, purchaseBody } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const ROOT = path.resolve(__dirname, '..', '..');
let dataDir: string;
let stack: ProductionStack;
let apiKey: string;

beforeAll(async () => {
  // The stack runs dist/: build the code under test rather than trust an older build.
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  dataDir = await mkdtemp(path.join(tmpdir(), 'xjp-stack-'));
  // Embedded PostgreSQL runs as the `postgres` user, which must enter the data directory's parent.
  await chmod(dataDir, 0o755);
  const api = await freePort();
  stack = await startProductionStack({
    dataDir,
    withUi: false,
    ports: {
      api,
      xjpSim: await freePort(),
      lianlianSim: await freePort(),
      temporal: await freePort(),
      postgres: await freePort(),
      workerHealth: await freePort(),
    },
  });
  apiKey = readDevApiKey(stack.keysDir);
}, 900_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

/** The platform's headers acting for `memberId`, with a fresh member token minted by the stack's key. */
async function asMember(memberId: string): Promise<Record<string, string>> {
  return {
    'x-api-key': apiKey,
    ...(await memberTokenHeader(readDevMemberTokenKey(stack.keysDir), memberId, { audience: 'xjp-order-engine' })),
  };
}

async function getOrder(apiUrl: string, orderNo: string, memberId: string): Promise<{ status: string }> {
  const response = await fetch(`${apiUrl}/v1/purchases/${orderNo}`, { headers: await asMember(memberId) });
  return (await response.json()) as { status: string };
}

test('an order bought on one API, with one worker stopped mid-run, is paid and reaches ACCRUING through the other API and worker', async () => {
  const [firstApi, secondApi] = stack.apiUrls as [string, string];
  const [firstWorker] = stack.workers;
  const body = purchaseBody('XJP-P-0002', 1_000_000);
  const response = await fetch(`${firstApi}/v1/purchases`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(await asMember(body.memberId)),
      'idempotency-key': `stack-${Date.now()}`,
    },
    body: JSON.stringify(body),
  });
  const created = (await response.json()) as { orderNo: string; status: string; paymentUrl: string };
  expect({ status: response.status, order: created.status }).toEqual({ status: 201, order: 'SUBSCRIBED' });

  // The run now waits for the payment, its state cached in whichever worker ran it.
  expect(await firstWorker!.stop()).toEqual({ code: 0, signal: null });
  expect((await fetch(`${stack.workerHealthUrls[1]}/readyz`)).status).toBe(200);

  await payAtCashier(created.paymentUrl);
  const order = await waitForState(
    () => getOrder(secondApi, created.orderNo, body.memberId),
    (o) => o.status === 'ACCRUING',
    180_000,
  );
  expect(order.status).toBe('ACCRUING');

  // PostgreSQL visibility answers a query on the purchase search attributes the set-up step registered.
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const client = new Client({ connection, namespace: 'default' });
    const found = await waitForState(
      async () => {
        const runs = [];
        for await (const run of client.workflow.list({
          query: `XjpOrderNo="${created.orderNo}" AND XjpOrderStatus="ACCRUING"`,
        }))
          runs.push(run.workflowId);
        return runs;
      },
      (runs) => runs.length > 0,
      60_000,
    );
    expect(found).toEqual([`purchase-${created.orderNo}`]);
  } finally {
    await connection.close();
  }
});

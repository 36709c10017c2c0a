/**
 * `npm run dev`'s stack, started the way the launcher starts it, on a temp data dir and free ports:
 * a purchase bought over HTTP and paid on the cashier reaches ACCRUING in the API and shows in the
 * Temporal Web UI's workflow list; a second start on the same data dir still has it, in the
 * simulators' books too, and buys and pays as before (the restart story of issue 14). Real time
 * (the CLI dev server does not skip time), so the order goes no further than ACCRUING.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { z } from 'zod';
import { findFreePort } from '../../src/db/embedded-postgres';
import { holdingsSchema } from '../../src/api/investor/schemas';
import { ENCRYPTED_ENCODING } from '../../src/temporal/payload-codec';
import { readDevOperatorKey } from '../../tools/dev/dev-secrets';
import { startDevStack, type DevStack, type DevStackPorts } from '../../tools/dev/stack';
import { RECONCILIATION_SCHEDULE_ID, RECONCILIATION_WORKFLOW_TYPE } from '../../workflows/reconciliation/contract';
import { purchaseWorkflowId } from '../../workflows/purchase/contract';
import { payAtCashier, purchaseBody } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const STACK_START_MS = 300_000;
const created = z.object({ orderNo: z.string(), status: z.literal('SUBSCRIBED'), paymentUrl: z.url() });
const detail = z.object({ orderNo: z.string(), status: z.string() });
/** What UI 2.42's server answers for a workflow list (the gRPC ListWorkflowExecutions response as JSON). */
const uiWorkflowList = z.object({
  executions: z
    .array(
      z.object({
        execution: z.object({ workflowId: z.string() }),
        status: z.string(),
        type: z.object({ name: z.string() }),
      }),
    )
    .optional(),
});

let dataDir: string;
let ports: DevStackPorts;
let stack: DevStack | undefined;

async function freePorts(): Promise<DevStackPorts> {
  const taken = new Set<number>();
  const next = async () => {
    let port = await findFreePort();
    while (taken.has(port)) port = await findFreePort();
    taken.add(port);
    return port;
  };
  return {
    api: await next(),
    xjpSim: await next(),
    lianlianSim: await next(),
    temporal: await next(),
    temporalUi: await next(),
    postgres: await next(),
  };
}

/** The platform's credentials acting for `memberId`: the stack's API key and a fresh member token. */
async function asMember(running: DevStack, memberId: string): Promise<Record<string, string>> {
  return { 'x-api-key': running.apiKey, authorization: `Bearer ${await running.memberToken(memberId)}` };
}

async function orderStatus(running: DevStack, orderNo: string, memberId = 'M10001'): Promise<string> {
  const response = await fetch(`${running.urls.api}/v1/purchases/${orderNo}`, {
    headers: await asMember(running, memberId),
  });
  if (!response.ok) throw new Error(`GET ${orderNo} answered ${response.status}: ${await response.text()}`);
  return detail.parse(await response.json()).status;
}

/** The Web UI's own list endpoint, filtered as an operator types it in the UI's query box. */
async function uiWorkflows(running: DevStack, query: string): Promise<z.infer<typeof uiWorkflowList>> {
  const response = await fetch(
    `${running.urls.temporalUi}/api/v1/namespaces/default/workflows?query=${encodeURIComponent(query)}`,
  );
  if (!response.ok) throw new Error(`Web UI answered ${response.status}: ${await response.text()}`);
  return uiWorkflowList.parse(await response.json());
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'xjp-dev-stack-'));
  // PostgreSQL runs as its own system user when the tests run as root: it must be able to enter here.
  await chmod(dataDir, 0o755);
  ports = await freePorts();
  stack = await startDevStack({ dataDir, ports, webhookReceiverPort: 0 });
}, STACK_START_MS);

afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
}, STACK_START_MS);

let orderNo: string;

test('a purchase bought over HTTP and paid on the cashier page, which shows our order number, reaches ACCRUING in the API, in the holdings, and in the Web UI list filtered by order number', async () => {
  const running = stack!;
  expect(running.urls.api).toBe(`http://127.0.0.1:${ports.api}`);
  const response = await fetch(`${running.urls.api}/v1/purchases`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': `e2e-${randomUUID()}`,
      ...(await asMember(running, 'M10001')),
    },
    body: JSON.stringify(purchaseBody('XJP-P-0002', 1_000_000)),
  });
  expect(response.status).toBe(201);
  const order = created.parse(await response.json());
  orderNo = order.orderNo;
  expect(new URL(order.paymentUrl).port).toBe(String(ports.lianlianSim));

  const cashier = await fetch(order.paymentUrl);
  expect(cashier.status).toBe(200);
  // Our order number reaches the cashier through XJP, so the investor recognises the order there.
  expect(await cashier.text()).toContain(`Order 订单号</dt><dd>${orderNo}<`);
  await payAtCashier(order.paymentUrl);

  await waitForState(
    () => orderStatus(running, orderNo),
    (status) => status === 'ACCRUING',
    60_000,
  );

  const holdings = await fetch(`${running.urls.api}/v1/members/M10001/holdings`, {
    headers: await asMember(running, 'M10001'),
  });
  expect(holdings.status).toBe(200);
  const held = holdingsSchema.parse(await holdings.json());
  expect(held.orders).toEqual([
    expect.objectContaining({ orderNo, status: 'ACCRUING', principalFen: 1_000_000, expectedInterestFen: 9370 }),
  ]);
  expect(held.totals).toMatchObject({ principalHeldFen: 1_000_000, expectedIncomeFen: 9370 });

  const listed = await waitForState(
    () => uiWorkflows(running, `XjpOrderNo="${orderNo}" AND XjpOrderStatus="ACCRUING"`),
    (list) => (list.executions ?? []).length > 0,
    30_000,
  );
  expect(listed.executions).toEqual([
    expect.objectContaining({
      execution: expect.objectContaining({ workflowId: purchaseWorkflowId(orderNo) }),
      status: 'WORKFLOW_EXECUTION_STATUS_RUNNING',
    }),
  ]);
  expect((await uiWorkflows(running, `XjpOrderNo="${orderNo}-other"`)).executions ?? []).toEqual([]);
});

const deliveries = z.object({
  deliveries: z.array(
    z.object({
      endpoint: z.string(),
      status: z.string(),
      event: z.object({ sequence: z.number(), toStatus: z.string() }),
    }),
  ),
});

test("the order's events reach the stack's webhook receiver, which accepts only verified signatures", async () => {
  const running = stack!;
  const operatorKey = readDevOperatorKey(join(running.dataDir, 'keys'), 'viewer');
  const listed = await waitForState(
    async () =>
      deliveries.parse(
        await (
          await fetch(`${running.urls.api}/ops/webhooks/deliveries?orderNo=${orderNo}`, {
            headers: { 'x-operator-key': operatorKey },
          })
        ).json(),
      ).deliveries,
    (list) => list.length >= 4 && list.every((d) => d.status === 'DELIVERED'),
    60_000,
  );
  const bySequence = [...listed].sort((a, b) => a.event.sequence - b.event.sequence);
  expect(bySequence.map((d) => d.event.toStatus)).toEqual(['CREATED', 'SUBSCRIBED', 'PAID', 'ACCRUING']);
  expect(new Set(listed.map((d) => d.endpoint))).toEqual(new Set(['dev-receiver']));
});

test('the stack registers the daily reconciliation schedule, visible in the Web UI with its Asia/Shanghai calendar', async () => {
  const response = await fetch(
    `${stack!.urls.temporalUi}/api/v1/namespaces/default/schedules/${RECONCILIATION_SCHEDULE_ID}`,
  );
  expect(response.status).toBe(200);
  const body = JSON.stringify(await response.json());
  expect(body).toContain('Asia/Shanghai');
  expect(body).toContain(RECONCILIATION_WORKFLOW_TYPE);
});

test('payloads are encrypted in Temporal, and the Web UI is pointed at the codec relay, which decodes them for the UI’s origin', async () => {
  const running = stack!;
  const settings = JSON.stringify(await (await fetch(`${running.urls.temporalUi}/api/v1/settings`)).json());
  expect(settings).toContain(running.urls.codec);

  const connection = await Connection.connect({ address: running.urls.temporal });
  try {
    const history = await connection.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId: purchaseWorkflowId(orderNo) },
    });
    const input = history.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(Buffer.from(input?.metadata?.encoding ?? []).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(input?.data ?? []).toString('latin1')).not.toContain(orderNo);

    const uiOrigin = new URL(running.urls.temporalUi).origin;
    const decoded = await fetch(`${running.urls.codec}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: uiOrigin, 'x-namespace': 'default' },
      body: JSON.stringify({
        payloads: [
          {
            metadata: Object.fromEntries(
              Object.entries(input?.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
            ),
            data: Buffer.from(input?.data ?? []).toString('base64'),
          },
        ],
      }),
    });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    const [plain] = z
      .object({ payloads: z.array(z.object({ data: z.string() })) })
      .parse(await decoded.json()).payloads;
    expect(Buffer.from(plain?.data ?? '', 'base64').toString('utf8')).toContain(orderNo);
  } finally {
    await connection.close();
  }
});

async function buyOver(running: DevStack, memberId: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${running.urls.api}/v1/purchases`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(await asMember(running, memberId)),
      'idempotency-key': `e2e-${randomUUID()}`,
    },
    body: JSON.stringify(purchaseBody('XJP-P-0002', 1_000_000, memberId)),
  });
  return { status: response.status, body: await response.json() };
}

const xjpBooks = z.object({
  subscriptions: z.array(z.object({ purchaseRecordId: z.string(), payStatus: z.string() })),
});

test(
  'stop frees every port; a second start on the same data dir still has the order in PostgreSQL, Temporal and the simulators, buys again for old and new members, and lets an order bought before the restart be paid after it',
  async () => {
    expect(orderNo).toBeDefined();
    const unpaid = await buyOver(stack!, 'M10002');
    expect(unpaid.status).toBe(201);
    const waiting = created.parse(unpaid.body);
    await stack!.stop();
    stack = undefined;
    for (const port of Object.values(ports)) {
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    }

    stack = await startDevStack({ dataDir, ports, webhookReceiverPort: 0 });
    expect(await orderStatus(stack, orderNo)).toBe('ACCRUING');
    const listed = await uiWorkflows(stack, `XjpOrderNo="${orderNo}"`);
    expect(listed.executions?.map((e) => [e.execution.workflowId, e.status])).toEqual([
      [purchaseWorkflowId(orderNo), 'WORKFLOW_EXECUTION_STATUS_RUNNING'],
    ]);
    // The paid order keeps accruing: its run is still open and XJP still holds it paid, for the redemption at maturity.
    const books = xjpBooks.parse(await (await fetch(`${stack.urls.xjpSim}/admin/state`)).json());
    expect(books.subscriptions.find((s) => s.purchaseRecordId === orderNo)).toMatchObject({ payStatus: 'PAID' });

    expect((await buyOver(stack, 'M10001')).status).toBe(201);
    expect((await buyOver(stack, 'M10003')).status).toBe(201);
    await payAtCashier(waiting.paymentUrl);
    await waitForState(
      () => orderStatus(stack!, waiting.orderNo, 'M10002'),
      (status) => status === 'ACCRUING',
      60_000,
    );
  },
  STACK_START_MS,
);

test('a start on a port another process holds ends at once, naming the port and the fix, and leaves nothing running', async () => {
  const taken = await freePorts();
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(taken.xjpSim, '127.0.0.1', resolve));
  try {
    await expect(
      startDevStack({ dataDir: await mkdtemp(join(tmpdir(), 'xjp-dev-port-')), ports: taken }),
    ).rejects.toMatchObject({
      code: 'PORT_IN_USE',
      message: expect.stringContaining(`127.0.0.1:${taken.xjpSim}: the port is in use. Fix:`),
    });
    await expect(fetch(`http://127.0.0.1:${taken.api}/healthz`)).rejects.toThrow();
  } finally {
    holder.close();
  }
});

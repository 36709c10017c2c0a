/**
 * No order row without a run: when the API wrote an order and died (or Temporal refused the start)
 * before its run began, the missing-run sweep starts it from the row's frozen terms, records why,
 * and a client retrying with the same Idempotency-Key lands on that same order and run.
 */
import { randomUUID } from 'node:crypto';
import { OrderEventSchema } from '../../../src/db/entities/order-event';
import { PurchaseOrderSchema } from '../../../src/db/entities/purchase-order';
import { createOrder } from '../../../src/db/repositories/orders';
import { productSnapshot } from '../../../src/partners/xjp/product-snapshot';
import type { missingRunSweepWorkflow } from '../../../workflows/missing-runs/workflow';
import { MISSING_RUN_SWEEP_WORKFLOW_TYPE } from '../../../workflows/missing-runs/contract';
import { PURCHASE_TASK_QUEUE, purchaseStateQuery, purchaseWorkflowId } from '../../../workflows/purchase/contract';
import { useTestEngine } from '../../../tools/testing/engine';
import { buy, purchaseBody } from '../../../tools/testing/purchases';
import { waitForState } from '../../../tools/testing/wait';

const running = useTestEngine();

/** Writes the order row exactly as POST /v1/purchases does, and stops there, as an API killed before the start. */
async function orderWithoutRun(productId: string, idempotencyKey = `idem-${randomUUID()}`): Promise<string> {
  const body = purchaseBody(productId, 1_000_000);
  const product = productSnapshot(await running.engine.apiDependencies.xjp.getProduct({ productId: 'XJP-P-0002' }));
  const order = await createOrder(running.engine.db.orm.em.fork(), running.engine.pii, {
    idempotencyKey,
    memberId: body.memberId,
    amountFen: body.amountFen,
    product: { ...product.terms, productId },
    investor: {
      ...body.investor,
      bankCardNo: body.bankCard.cardNo,
      bankCode: body.bankCard.bankCode,
    },
    channel: body.channel,
    actor: 'INVESTOR',
    actorRef: body.memberId,
    at: new Date(),
  });
  return order.orderNo;
}

function sweep(olderThanSeconds: number) {
  return running.engine.client.workflow.execute<typeof missingRunSweepWorkflow>(MISSING_RUN_SWEEP_WORKFLOW_TYPE, {
    taskQueue: PURCHASE_TASK_QUEUE,
    workflowId: `sweep-${randomUUID()}`,
    args: [{ olderThanSeconds }],
  });
}

async function hasRun(orderNo: string): Promise<boolean> {
  return running.engine.client.workflow
    .getHandle(purchaseWorkflowId(orderNo))
    .describe()
    .then(
      () => true,
      () => false,
    );
}

test('an order younger than the grace period is left to the API that is starting it', async () => {
  const orderNo = await orderWithoutRun('XJP-P-0002');
  const result = await sweep(3600);
  expect(result.started).not.toContain(orderNo);
  expect(await hasRun(orderNo)).toBe(false);
});

test('an order without a run gets one: it subscribes, the start is on its audit trail, and a second sweep starts nothing', async () => {
  const orderNo = await orderWithoutRun('XJP-P-0002');
  expect(await hasRun(orderNo)).toBe(false);

  const first = await sweep(0);
  expect(first.started).toContain(orderNo);
  const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  const state = await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.status === 'SUBSCRIBED',
  );
  expect(state).toMatchObject({ orderNo, status: 'SUBSCRIBED', amountFen: 1_000_000 });
  const events = await running.engine.db.orm.em.fork().find(OrderEventSchema, { order: { orderNo } });
  expect(events.map((e) => e.cause)).toContain('RUN_STARTED_BY_SWEEP');

  const second = await sweep(0);
  expect(second.started).not.toContain(orderNo);
});

test('a client retrying with the same Idempotency-Key after the sweep gets the same order, attached to the same run', async () => {
  const key = `idem-${randomUUID()}`;
  const orderNo = await orderWithoutRun('XJP-P-0002', key);
  expect((await sweep(0)).started).toContain(orderNo);
  const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  const { runId } = await handle.describe();
  const retried = await buy(running.engine, purchaseBody('XJP-P-0002', 1_000_000), key);
  expect(retried.status).toBe(200);
  expect(retried.body).toMatchObject({ orderNo, status: 'SUBSCRIBED' });
  expect((await handle.describe()).runId).toBe(runId);
});

test('an order for a product XJP no longer knows still gets its run, which refuses it with a reason', async () => {
  const orderNo = await orderWithoutRun('XJP-P-9999');
  expect((await sweep(0)).started).toContain(orderNo);
  const order = await waitForState(
    () => running.engine.db.orm.em.fork().findOneOrFail(PurchaseOrderSchema, { orderNo }, { refresh: true }),
    (o) => o.status !== 'CREATED',
  );
  expect({ status: order.status, rejectReason: order.rejectReason }).toEqual({
    status: 'REJECTED',
    rejectReason: 'PRODUCT_NOT_ON_SALE',
  });
});

/**
 * The purchase workflow up to the subscription at XJP, on the time-skipping server with the whole
 * engine: refusals, a maturity-interest mismatch held for an operator, XJP failing transiently.
 */
import { OrderEventSchema } from '../../src/db/entities/order-event';
import { PurchaseOrderSchema } from '../../src/db/entities/purchase-order';
import {
  interestDecisionUpdate,
  purchaseStateQuery,
  purchaseWorkflowId,
  type PurchaseState,
} from '../../workflows/purchase/contract';
import { useTestEngine } from '../../tools/testing/engine';
import { buy, purchaseBody, simAdmin, simState } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const running = useTestEngine();

/** The parts of XJP's `/admin/state` these tests read. */
interface XjpState {
  products: Array<{ productId: string; raisedFen: number; remainingFen: number }>;
  subscriptions: Array<{
    purchaseRecordId: string;
    xjpOrderNo: string;
    payStatus: string;
    quotaLockedFen: number;
    amountFen: number;
  }>;
  faults: { endpoints: unknown[] };
}

const xjpState = () => simState<XjpState>(running.engine.xjpUrl);

async function remainingFen(productId: string): Promise<number> {
  const product = (await xjpState()).products.find((p) => p.productId === productId);
  if (product === undefined) throw new Error(`XJP has no product ${productId}`);
  return product.remainingFen;
}

async function subscriptionsOf(orderNo: string): Promise<XjpState['subscriptions']> {
  return (await xjpState()).subscriptions.filter((s) => s.purchaseRecordId === orderNo);
}

async function orderRow(where: { orderNo: string } | { idempotencyKey: string }) {
  return running.engine.db.orm.em.fork().findOneOrFail(PurchaseOrderSchema, where);
}

/** Stops a run the test no longer needs, so its timers do not move with later tests' skipped time. */
async function terminate(orderNo: string): Promise<void> {
  await running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).terminate('test finished with it');
}

describe('business refusals before subscription', () => {
  it.each([
    ['below the minimum', 'XJP-P-0001', 50_000, 'BELOW_MINIMUM'],
    ['not on the step', 'XJP-P-0001', 150_000, 'NOT_ON_STEP'],
    ['for a sold-out product', 'XJP-P-0006', 100_000, 'QUOTA_EXCEEDED'],
    ['for more than the quota still open', 'XJP-P-0003', 900_000_000, 'QUOTA_EXCEEDED'],
    ['for a product whose sale has ended', 'XJP-P-0007', 100_000, 'PRODUCT_NOT_ON_SALE'],
  ])(
    'an order %s ends REJECTED with its reason, the API answers 422 with the code, XJP holds nothing',
    async (_case, productId, amountFen, code) => {
      const idempotencyKey = `refusal-${productId}-${amountFen}`;
      const answer = await buy(running.engine, purchaseBody(productId, amountFen), idempotencyKey);

      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ error: { code } });
      const order = await orderRow({ idempotencyKey });
      expect(order).toMatchObject({ status: 'REJECTED', rejectReason: code, xjpOrderNo: null });
      const final: PurchaseState = await running.env.client.workflow
        .getHandle(purchaseWorkflowId(order.orderNo))
        .result();
      expect(final).toMatchObject({ status: 'REJECTED', rejectReason: code });
      expect(await subscriptionsOf(order.orderNo)).toEqual([]);
    },
  );

  it("an investor whose ID card number fails XJP's checksum ends REJECTED (INVALID_ID_CARD) with no account opened at XJP", async () => {
    const idempotencyKey = 'refusal-bad-id-card';
    const body = purchaseBody('XJP-P-0001', 100_000, 'M29999');
    const answer = await buy(
      running.engine,
      { ...body, investor: { ...body.investor, idCardNo: '110105194912310021' } },
      idempotencyKey,
    );

    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ error: { code: 'INVALID_ID_CARD' } });
    const order = await orderRow({ idempotencyKey });
    expect(order).toMatchObject({ status: 'REJECTED', rejectReason: 'INVALID_ID_CARD' });
    const accounts = (await simState<{ accounts: Array<{ memberId: string }> }>(running.engine.xjpUrl)).accounts;
    expect(accounts.filter((a) => a.memberId === 'M29999')).toEqual([]);
    expect(await subscriptionsOf(order.orderNo)).toEqual([]);
  });
});

describe('XJP maturity interest differs from ours', () => {
  const productId = 'XJP-P-0003';
  const amountFen = 500_000;

  beforeAll(() => simAdmin(running.engine.xjpUrl, `/products/${productId}/interest-skew`, { fen: 7 }));
  afterAll(() => simAdmin(running.engine.xjpUrl, `/products/${productId}/interest-skew`, { fen: 0 }));

  async function buyHeldForReview(memberId: string): Promise<string> {
    const answer = await buy(running.engine, purchaseBody(productId, amountFen, memberId));
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ status: 'CREATED', awaiting: 'OPERATOR_REVIEW' });
    const orderNo = answer.body.orderNo as string;
    const events = await running.engine.db.orm.em
      .fork()
      .find(OrderEventSchema, { order: { orderNo }, cause: 'INTEREST_MISMATCH' });
    expect(events).toHaveLength(1);
    expect(events[0]?.detail).toMatchObject({ xjpFen: (events[0]?.detail?.oursFen as number) + 7 });
    return orderNo;
  }

  it("an operator's REJECT ends the order REJECTED (INTEREST_MISMATCH) and cancels the subscription at XJP", async () => {
    const before = await remainingFen(productId);
    const orderNo = await buyHeldForReview('M20001');
    expect(await remainingFen(productId)).toBe(before - amountFen);

    const handle = running.env.client.workflow.getHandle(purchaseWorkflowId(orderNo));
    await handle.executeUpdate(interestDecisionUpdate, { args: [{ decision: 'REJECT', operator: 'ops.li' }] });
    const final: PurchaseState = await handle.result();

    expect(final).toMatchObject({ status: 'REJECTED', rejectReason: 'INTEREST_MISMATCH' });
    expect(await orderRow({ orderNo })).toMatchObject({ status: 'REJECTED', rejectReason: 'INTEREST_MISMATCH' });
    expect(await subscriptionsOf(orderNo)).toEqual([
      expect.objectContaining({ payStatus: 'CANCELLED', quotaLockedFen: 0 }),
    ]);
    expect(await remainingFen(productId)).toBe(before);
    const rejected = await running.engine.db.orm.em
      .fork()
      .findOneOrFail(OrderEventSchema, { order: { orderNo }, toStatus: 'REJECTED' });
    expect(rejected).toMatchObject({ actor: 'OPERATOR', actorRef: 'ops.li' });
  });

  it("an operator's ACCEPT_XJP_FIGURE lets the order go on to SUBSCRIBED with XJP's figure", async () => {
    const orderNo = await buyHeldForReview('M20002');
    const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
    await handle.executeUpdate(interestDecisionUpdate, {
      args: [{ decision: 'ACCEPT_XJP_FIGURE', operator: 'ops.li' }],
    });

    const state = await waitForState(
      () => handle.query(purchaseStateQuery),
      (s) => s.status !== 'CREATED',
    );
    const [subscription] = await subscriptionsOf(orderNo);
    expect(state).toMatchObject({ status: 'SUBSCRIBED', awaiting: 'PAYMENT', xjpOrderNo: subscription?.xjpOrderNo });
    expect(await orderRow({ orderNo })).toMatchObject({ status: 'SUBSCRIBED', xjpOrderNo: subscription?.xjpOrderNo });
    expect(subscription).toMatchObject({ payStatus: 'UNPAID', quotaLockedFen: amountFen });
    await terminate(orderNo);
  });
});

describe('XJP failing transiently at subscription', () => {
  it.each([
    ['answers 500 twice', { kind: 'error500', count: 2 }],
    ['takes the call but loses the answer', { kind: 'timeout', count: 1, latencyMs: 200 }],
  ])(
    'when XJP %s the subscription is retried: one subscription and one quota lock at XJP, the order SUBSCRIBED',
    async (_case, fault) => {
      const productId = 'XJP-P-0002';
      const amountFen = 200_000;
      const before = await remainingFen(productId);
      await simAdmin(running.engine.xjpUrl, '/faults', { endpoint: '/api/subscriptions', ...fault });

      const answer = await buy(running.engine, purchaseBody(productId, amountFen, `M3000${fault.count}`));

      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ status: 'SUBSCRIBED' });
      const orderNo = answer.body.orderNo as string;
      expect((await xjpState()).faults.endpoints).toEqual([]);
      const subscriptions = await subscriptionsOf(orderNo);
      expect(subscriptions).toEqual([
        expect.objectContaining({ payStatus: 'UNPAID', amountFen, quotaLockedFen: amountFen }),
      ]);
      expect(await remainingFen(productId)).toBe(before - amountFen);
      expect(await orderRow({ orderNo })).toMatchObject({
        status: 'SUBSCRIBED',
        xjpOrderNo: subscriptions[0]?.xjpOrderNo,
      });
      await terminate(orderNo);
    },
  );
});

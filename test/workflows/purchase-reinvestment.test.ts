/**
 * Reinvestment at maturity (续投) end to end on the time-skipping server, over the API and the
 * simulators: every order is bought at the start on XJP-P-0001 (30 days at 3.25 %, basis 365,
 * 1 000 yuan minimum and step, no service fee), each with its own amount (LianLian holds same-card,
 * same-amount payouts as duplicates), and the file walks one timeline: instructions set and refused
 * while accruing, then maturity. Named products (tools/sim/xjp/catalogue.ts): XJP-P-0002 (10-yuan
 * steps), XJP-P-0005 (delisted before maturity), XJP-P-0006 (sold out), XJP-P-0007 (ended), XJP-P-0003
 * (quoting one fen more interest than ours from before maturity).
 */
import { OrderEventSchema } from '../../src/db/entities/order-event';
import { PayoutSchema } from '../../src/db/entities/payout';
import { PurchaseOrderSchema } from '../../src/db/entities/purchase-order';
import { ledgerInterestFen } from '../../src/db/repositories/accruals';
import { shanghaiMidnight } from '../../src/domain/calendar';
import {
  purchaseStateQuery,
  purchaseWorkflowId,
  type PurchaseState,
  searchAttributes,
} from '../../workflows/purchase/contract';
import { TEST_OPERATOR, useTestEngine } from '../../tools/testing/engine';
import { untilPayoutsAnswered } from '../../tools/testing/skip-time';
import { asPlatformFor, buy, payAtCashier, purchaseBody, simAdmin } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const running = useTestEngine();

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** The orders of the timeline; `instruction` is given at purchase. */
const orders = {
  payout: { amountFen: 1_100_000, instruction: { kind: 'REINVEST_PRINCIPAL' }, orderNo: '' },
  principal: { amountFen: 1_200_000, instruction: { kind: 'REINVEST_PRINCIPAL' }, orderNo: '' },
  all: { amountFen: 1_300_000, instruction: undefined, orderNo: '' },
  offSale: { amountFen: 1_400_000, instruction: { kind: 'REINVEST_PRINCIPAL', productId: 'XJP-P-0005' }, orderNo: '' },
  quota: { amountFen: 1_500_000, instruction: { kind: 'REINVEST_PRINCIPAL', productId: 'XJP-P-0006' }, orderNo: '' },
  // 146 000 yuan earns 390 yuan in 30 days: principal + interest falls on XJP-P-0002's 10-yuan steps.
  everything: {
    amountFen: 14_600_000,
    instruction: { kind: 'REINVEST_ALL', productId: 'XJP-P-0002' },
    orderNo: '',
  },
  termsDiffer: {
    amountFen: 1_600_000,
    instruction: { kind: 'REINVEST_PRINCIPAL', productId: 'XJP-P-0003' },
    orderNo: '',
  },
};

let maturityDate = '';

function stateOf(orderNo: string): Promise<PurchaseState> {
  return running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).query(purchaseStateQuery);
}

/** Every order the file's engine holds, the reinvested ones included. */
async function everyOrderNo(): Promise<string[]> {
  return (await running.engine.db.orm.em.fork().find(PurchaseOrderSchema, {})).map((o) => o.orderNo);
}

/** PUT /v1/purchases/:orderNo/maturity-instruction as `memberId` (default purchaseBody's). */
async function instruct(orderNo: string, body: unknown, memberId = 'M10001') {
  const response = await fetch(`${running.engine.apiUrl}/v1/purchases/${orderNo}/maturity-instruction`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(await asPlatformFor(memberId)) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** GET /v1/purchases/:orderNo as the order's member. */
async function view(orderNo: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${running.engine.apiUrl}/v1/purchases/${orderNo}`, {
    headers: await asPlatformFor('M10001'),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** What the books say of an ended order: its successful payouts, its ledger interest and its events' causes. */
async function booksOf(orderNo: string) {
  const em = running.engine.db.orm.em.fork();
  const payouts = await em.find(PayoutSchema, { order: { orderNo }, status: 'SUCCESS' });
  const events = await em.find(OrderEventSchema, { order: { orderNo } }, { orderBy: { occurredAt: 'asc', id: 'asc' } });
  return { payouts, ledgerFen: await ledgerInterestFen(em, orderNo), events };
}

beforeAll(async () => {
  for (const order of Object.values(orders)) {
    const body = {
      ...purchaseBody('XJP-P-0001', order.amountFen),
      ...(order.instruction === undefined ? {} : { maturityInstruction: order.instruction }),
    };
    const created = await buy(running.engine, body);
    expect(created.status).toBe(201);
    order.orderNo = created.body.orderNo as string;
    await payAtCashier(created.body.paymentUrl as string);
  }
  for (const order of Object.values(orders)) {
    ({ maturityDate = '' } = await waitForState(
      () => stateOf(order.orderNo),
      (s) => s.status === 'ACCRUING',
    ));
  }
});

test('the instruction given at purchase is the run’s; PUT replaces it before maturity (PAYOUT back, REINVEST_ALL into a named product)', async () => {
  expect((await stateOf(orders.principal.orderNo)).maturityInstruction).toEqual({ kind: 'REINVEST_PRINCIPAL' });
  expect((await stateOf(orders.all.orderNo)).maturityInstruction).toEqual({ kind: 'PAYOUT' });

  expect(await instruct(orders.payout.orderNo, { kind: 'PAYOUT' })).toEqual({
    status: 200,
    body: { orderNo: orders.payout.orderNo, status: 'ACCRUING', maturityInstruction: { kind: 'PAYOUT' } },
  });
  const all = { kind: 'REINVEST_ALL', productId: 'XJP-P-0002' };
  expect(await instruct(orders.all.orderNo, all)).toMatchObject({ status: 200, body: { maturityInstruction: all } });
  expect((await stateOf(orders.all.orderNo)).maturityInstruction).toEqual(all);
  // Operators see the instruction the run will follow in the order's detail.
  const detail = await fetch(`${running.engine.apiUrl}/ops/orders/${orders.all.orderNo}`, {
    headers: { 'x-operator-key': TEST_OPERATOR.key },
  });
  expect(((await detail.json()) as { workflow: unknown }).workflow).toMatchObject({ maturityInstruction: all });
});

test('PUT refuses a bad body (400 with the field), another member’s order (404), a product XJP does not know or no longer sells (422); the instruction stays', async () => {
  const { orderNo } = orders.principal;
  const bad = await instruct(orderNo, { kind: 'ROLL_OVER' });
  expect(bad.status).toBe(400);
  expect(bad.body).toMatchObject({ error: { code: 'VALIDATION_FAILED', fields: [{ field: 'body.kind' }] } });
  expect((await instruct(orderNo, { kind: 'PAYOUT' }, 'M20002')).status).toBe(404);
  const unknown = await instruct(orderNo, { kind: 'REINVEST_ALL', productId: 'XJP-P-9999' });
  expect(unknown.status).toBe(422);
  expect(unknown.body).toMatchObject({ error: { fields: [{ field: 'body.productId' }] } });
  expect(await instruct(orderNo, { kind: 'REINVEST_ALL', productId: 'XJP-P-0007' })).toMatchObject({
    status: 422,
    body: { error: { code: 'PRODUCT_NOT_ON_SALE' } },
  });
  expect((await stateOf(orderNo)).maturityInstruction).toEqual({ kind: 'REINVEST_PRINCIPAL' });
});

test('at maturity: PAYOUT pays everything; REINVEST_PRINCIPAL buys a new order of the principal (a new run, linked both ways) and pays the interest; REINVEST_ALL buys the most the named product’s steps allow and pays the rest', async () => {
  // XJP-P-0005 goes off sale before maturity: its order falls back to paying out.
  await simAdmin(running.engine.xjpUrl, '/products/XJP-P-0005/delist');
  // XJP-P-0003's subscriptions now state other terms than ours: its rollover must not wait for a person.
  await simAdmin(running.engine.xjpUrl, '/products/XJP-P-0003/interest-skew', { fen: 1 });
  // A minute past maturity: the payouts start, and their ten-minute query timers have not fired yet.
  const now = await running.env.currentTimeMs();
  await running.env.sleep(shanghaiMidnight(maturityDate).getTime() + MINUTE_MS - now);
  // Day by day until every old run has closed (its payout watches some days for a bank's reversal),
  // each step once LianLian's notifications have landed (see untilPayoutsAnswered).
  const handles = Object.values(orders).map((o) =>
    running.engine.client.workflow.getHandle(purchaseWorkflowId(o.orderNo)),
  );
  for (let day = 0; day < 45; day++) {
    const open = await Promise.all(handles.map(async (h) => (await h.describe()).status.name === 'RUNNING'));
    if (!open.includes(true)) break;
    await untilPayoutsAnswered(running.engine.client, await everyOrderNo());
    await running.env.sleep(DAY_MS);
  }
  for (const order of Object.values(orders)) {
    const final = (await running.engine.client.workflow
      .getHandle(purchaseWorkflowId(order.orderNo))
      .result()) as PurchaseState;
    expect({ orderNo: order.orderNo, status: final.status }).toEqual({ orderNo: order.orderNo, status: 'COMPLETED' });
  }
  // Principal and interest of each, as the ledger holds it.
  const paid = async (orderNo: string) => {
    const books = await booksOf(orderNo);
    expect(books.payouts).toHaveLength(1);
    return { totalFen: books.payouts[0]!.totalFen, ledgerFen: books.ledgerFen };
  };

  const payout = await paid(orders.payout.orderNo);
  expect(payout.totalFen).toBe(orders.payout.amountFen + payout.ledgerFen);
  expect((await view(orders.payout.orderNo)).nextOrderNo).toBeNull();

  const principal = await paid(orders.principal.orderNo);
  expect(principal.totalFen).toBe(principal.ledgerFen);
  const nextOrderNo = (await view(orders.principal.orderNo)).nextOrderNo as string;
  expect(nextOrderNo).toMatch(/^XJP\d{14}$/);
  // Past its payment: the simulators date XJP's subscription by wall time, behind the skipped clock, so
  // the new order may already have run on from ACCRUING by the time it is read.
  const reinvested = await waitForState(
    () => stateOf(nextOrderNo),
    (s) => !['CREATED', 'SUBSCRIBED', 'PAID'].includes(s.status),
  );
  expect(reinvested).toMatchObject({
    amountFen: orders.principal.amountFen,
    previousOrderNo: orders.principal.orderNo,
  });
  expect(await view(nextOrderNo)).toMatchObject({
    previousOrderNo: orders.principal.orderNo,
    product: { productId: 'XJP-P-0001' },
  });
  const nextEvents = (await booksOf(nextOrderNo)).events.map((e) => e.cause);
  expect(nextEvents.slice(0, 4)).toEqual([
    'ORDER_CREATED',
    'XJP_SUBSCRIBED',
    'FUNDED_BY_REINVESTMENT',
    'INTEREST_STARTED',
  ]);
  const description = await running.engine.client.workflow.getHandle(purchaseWorkflowId(nextOrderNo)).describe();
  expect(description.typedSearchAttributes.get(searchAttributes.previousOrderNo)).toBe(orders.principal.orderNo);

  const all = await paid(orders.all.orderNo);
  const availableFen = orders.all.amountFen + all.ledgerFen;
  // XJP-P-0002: 1 000 yuan minimum, then 10-yuan (1 000-fen) steps.
  const allInFen = 100_000 + Math.floor((availableFen - 100_000) / 1_000) * 1_000;
  expect(all.totalFen).toBe(availableFen - allInFen);
  const allNext = (await view(orders.all.orderNo)).nextOrderNo as string;
  expect(
    await waitForState(
      () => stateOf(allNext),
      (s) => !['CREATED', 'SUBSCRIBED', 'PAID'].includes(s.status),
    ),
  ).toMatchObject({ amountFen: allInFen, previousOrderNo: orders.all.orderNo });
  expect(await view(allNext)).toMatchObject({ product: { productId: 'XJP-P-0002' } });
}, 600_000);

test('a product gone off sale, or sold out at XJP, falls back to paying everything out, the reason recorded as an order event; no new order is linked', async () => {
  for (const [order, reasonCode] of [
    [orders.offSale, 'PRODUCT_NOT_ON_SALE'],
    [orders.quota, 'QUOTA_EXCEEDED'],
  ] as const) {
    const books = await booksOf(order.orderNo);
    expect(books.payouts).toHaveLength(1);
    expect(books.payouts[0]!.totalFen).toBe(order.amountFen + books.ledgerFen);
    const fellBack = books.events.filter((e) => e.cause === 'REINVESTMENT_FELL_BACK_TO_PAYOUT');
    expect(fellBack).toHaveLength(1);
    expect(fellBack[0]!.detail).toMatchObject({ outcome: 'REFUSED', reasonCode });
    expect((await view(order.orderNo)).nextOrderNo).toBeNull();
  }
});

test('a matured order’s instruction can no longer change (409 WRONG_STATE)', async () => {
  expect(await instruct(orders.payout.orderNo, { kind: 'REINVEST_ALL' })).toMatchObject({
    status: 409,
    body: { error: { code: 'WRONG_STATE' } },
  });
});

test('a rollover whose terms XJP states differently from ours is undone at once (cancelled at XJP, REJECTED with the reason), and the matured order pays everything out', async () => {
  const { orderNo, amountFen } = orders.termsDiffer;
  const books = await booksOf(orderNo);
  expect(books.payouts).toHaveLength(1);
  expect(books.payouts[0]!.totalFen).toBe(amountFen + books.ledgerFen);
  const fellBack = books.events.filter((e) => e.cause === 'REINVESTMENT_FELL_BACK_TO_PAYOUT');
  expect(fellBack).toHaveLength(1);
  expect(fellBack[0]!.detail).toMatchObject({ outcome: 'REFUSED', reasonCode: 'INTEREST_MISMATCH' });
  const nextOrderNo = (fellBack[0]!.detail as { nextOrderNo: string }).nextOrderNo;
  const undone = await stateOf(nextOrderNo);
  expect(undone).toMatchObject({ status: 'REJECTED', rejectReason: 'INTEREST_MISMATCH', previousOrderNo: orderNo });
  expect((await booksOf(nextOrderNo)).events.map((e) => e.cause)).toContain('REINVESTMENT_TERMS_DIFFER');
  // The new run never waited for an operator: it ended, and nothing of it was paid out.
  const closed = await running.engine.client.workflow.getHandle(purchaseWorkflowId(nextOrderNo)).describe();
  expect(closed.status.name).toBe('COMPLETED');
  expect((await booksOf(nextOrderNo)).payouts).toHaveLength(0);
});

test('when principal + interest fall on the new product’s steps everything is reinvested: no payout, MATURED → COMPLETED with cause REINVESTED', async () => {
  const { orderNo, amountFen } = orders.everything;
  const books = await booksOf(orderNo);
  expect(books.ledgerFen).toBe(39_000);
  expect(books.payouts).toHaveLength(0);
  expect(books.events.map((e) => e.cause).slice(-2)).toEqual(['REINVESTED', 'REINVESTED']);
  expect(books.events.at(-1)).toMatchObject({ toStatus: 'COMPLETED' });
  const nextOrderNo = (await view(orderNo)).nextOrderNo as string;
  expect(
    await waitForState(
      () => stateOf(nextOrderNo),
      (s) => !['CREATED', 'SUBSCRIBED', 'PAID'].includes(s.status),
    ),
  ).toMatchObject({ amountFen: amountFen + books.ledgerFen, previousOrderNo: orderNo });
});

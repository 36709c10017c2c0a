/**
 * Funds confirmed before accrual, end to end: a payment signal is a claim that XJP's payment query
 * must back, and money of another amount than the order's holds the order for finance, never accruing.
 */
import { OrderEventSchema } from '../../src/db/entities/order-event';
import { paymentNotifiedSignal, purchaseStateQuery, purchaseWorkflowId } from '../../workflows/purchase/contract';
import { useTestEngine } from '../../tools/testing/engine';
import { buy, payAtCashier, purchaseBody } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const running = useTestEngine();
const AMOUNT_FEN = 1_000_000;

async function subscribed(memberId: string) {
  const created = await buy(running.engine, purchaseBody('XJP-P-0002', AMOUNT_FEN, memberId));
  expect(created.status).toBe(201);
  const orderNo = created.body.orderNo as string;
  return {
    orderNo,
    paymentUrl: created.body.paymentUrl as string,
    handle: running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)),
  };
}

async function eventsOf(orderNo: string, cause: string) {
  return running.engine.db.orm.em.fork().find(OrderEventSchema, { order: { orderNo }, cause });
}

test("a payment signal XJP's query does not back (sent to Temporal by anyone but XJP) is recorded and changes nothing", async () => {
  const { orderNo, paymentUrl, handle } = await subscribed('M50001');

  await handle.signal(paymentNotifiedSignal, {
    notificationId: 'ntf-forged',
    paidAt: new Date().toISOString(),
    paidAmountFen: AMOUNT_FEN,
  });
  const [claim] = await waitForState(
    () => eventsOf(orderNo, 'PAYMENT_NOT_CONFIRMED'),
    (rows) => rows.length === 1,
  );
  expect(claim).toMatchObject({
    fromStatus: 'SUBSCRIBED',
    toStatus: 'SUBSCRIBED',
    detail: { notificationId: 'ntf-forged' },
  });
  expect(await handle.query(purchaseStateQuery)).toMatchObject({ status: 'SUBSCRIBED', awaiting: 'PAYMENT' });

  // The investor then really pays: XJP's own notification, confirmed by its query, moves the order on.
  await payAtCashier(paymentUrl);
  await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.status === 'ACCRUING',
  );
});

test('money of another amount than the order holds it SUBSCRIBED for finance (PAID_AMOUNT_MISMATCH), never accruing', async () => {
  const { orderNo, paymentUrl, handle } = await subscribed('M50002');

  await payAtCashier(paymentUrl, AMOUNT_FEN - 1);
  const held = await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.awaiting === 'OPERATOR_REVIEW',
  );

  expect(held).toMatchObject({ status: 'SUBSCRIBED', reviewReason: 'PAID_AMOUNT_MISMATCH', accruedInterestFen: 0 });
  const [alert] = await eventsOf(orderNo, 'PAID_AMOUNT_MISMATCH');
  expect(alert).toMatchObject({
    actor: 'SYSTEM',
    fromStatus: 'SUBSCRIBED',
    toStatus: 'SUBSCRIBED',
    detail: expect.objectContaining({ amountFen: AMOUNT_FEN, paidAmountFen: AMOUNT_FEN - 1 }),
  });
  await handle.terminate('test ends with the order held');
});

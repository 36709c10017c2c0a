import { OrderEventSchema } from '../../src/db/entities/order-event';
import { paymentNotifiedSignal, purchaseStateQuery, purchaseWorkflowId } from '../../workflows/purchase/contract';
import { useTestEngine } from '../../tools/testing/engine';
import { buy, purchaseBody } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const running = useTestEngine();

test('a payment reported with an amount other than the order amount is recorded as an alert on the order, and the paid order goes on', async () => {
  const amountFen = 1_000_000;
  const created = await buy(running.engine, purchaseBody('XJP-P-0002', amountFen, 'M50001'));
  expect(created.status).toBe(201);
  const orderNo = created.body.orderNo as string;
  const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));

  // As the API would relay it from a (genuine) XJP notification carrying a short amount.
  await handle.signal(paymentNotifiedSignal, {
    notificationId: 'ntf-short-amount',
    paidAt: new Date().toISOString(),
    paidAmountFen: amountFen - 1,
  });
  await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.status === 'ACCRUING',
  );

  const alerts = await running.engine.db.orm.em
    .fork()
    .find(OrderEventSchema, { order: { orderNo }, cause: 'PAID_AMOUNT_MISMATCH' });
  expect(alerts).toHaveLength(1);
  expect(alerts[0]).toMatchObject({
    actor: 'SYSTEM',
    fromStatus: 'SUBSCRIBED',
    toStatus: 'SUBSCRIBED',
    detail: { amountFen, paidAmountFen: amountFen - 1 },
  });
  await handle.terminate('test ends after the payment');
});

/**
 * A refund whose result notification never comes: the refund run asks LianLian itself after its
 * query interval (ten minutes of workflow time) and ends on the answer. Its own file and server:
 * a refund started as an abandoned child (an over-payment's) stops the time-skipping server from
 * skipping time (docs/architecture.md, "Test tiers"); this one is started by the notification
 * route for a cancelled order, so time skips.
 */
import { findOrderByNo } from '../../../src/db/repositories/orders';
import { listRefunds } from '../../../src/db/repositories/refunds';
import { useTestEngine } from '../../../tools/testing/engine';
import { historyTimeline } from '../../../tools/testing/history';
import { buy, memberAction, payAtCashier, purchaseBody, simAdmin } from '../../../tools/testing/purchases';
import { waitForState } from '../../../tools/testing/wait';
import { refundStateQuery, refundWorkflowId } from '../../../workflows/refund/contract';

// LianLian takes 3 s to settle a refund: the window in which the test drops the refund's notification.
const running = useTestEngine({ payoutStepDelayMs: 3_000 });
const em = () => running.engine.db.orm.em.fork();

test('a refund whose notification was dropped is settled by the run querying LianLian after its interval', async () => {
  const bought = await buy(running.engine, purchaseBody('XJP-P-0002', 200_000, 'M21001'));
  const orderNo = bought.body.orderNo as string;
  expect((await memberAction(running.engine, orderNo, 'cancel', 'M21001')).status).toBe(200);
  await waitForState(
    () => findOrderByNo(em(), orderNo),
    (o) => o?.status === 'CANCELLED',
  );
  await payAtCashier(bought.body.paymentUrl as string);
  // The payment's notification has come (the refund exists): the next one, the refund's, is dropped.
  const [pending] = await waitForState(
    () => listRefunds(em(), { orderNo }),
    (rows) => rows.length > 0,
  );
  await simAdmin(running.engine.lianlianUrl, '/notification-faults', { kind: 'drop', count: 1 });
  const handle = running.engine.client.workflow.getHandle(refundWorkflowId(pending!.paymentBillNo));
  await waitForState(
    () => handle.query(refundStateQuery),
    (s) => s.awaiting === 'REFUND_RESULT',
  );
  // LianLian settles the refund and its notification is lost; nothing moves until the run asks.
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  expect((await handle.query(refundStateQuery)).awaiting).toBe('REFUND_RESULT');

  await running.env.sleep('11 minutes');

  const settled = await waitForState(
    () => listRefunds(em(), { orderNo }),
    (rows) => rows.some((r) => r.status === 'SUCCESS'),
  );
  expect(settled.find((r) => r.status === 'SUCCESS')).toMatchObject({ amountFen: 200_000, cause: 'PAID_AFTER_CLOSE' });
  const timeline = await historyTimeline(handle);
  expect(timeline.some((line) => line.endsWith('ACTIVITY_TASK_SCHEDULED queryRefund'))).toBe(true);
  expect(timeline.some((line) => line.includes('WORKFLOW_EXECUTION_SIGNALED'))).toBe(false);
});

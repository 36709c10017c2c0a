/**
 * The account check (账户检查) before every subscription, with the whole engine on the time-skipping
 * server: a stored account XJP no longer knows is re-opened and recorded, and an account number that
 * belongs to another member refuses the order with a code instead of retrying for ever.
 */
import { OrderEventSchema } from '../../src/db/entities/order-event';
import { PurchaseOrderSchema } from '../../src/db/entities/purchase-order';
import { UserAccountSchema } from '../../src/db/entities/user-account';
import { purchaseWorkflowId, type PurchaseState } from '../../workflows/purchase/contract';
import { useTestEngine } from '../../tools/testing/engine';
import { buy, purchaseBody, simAdmin, simState } from '../../tools/testing/purchases';

const running = useTestEngine();

const storedAccount = (memberId: string) =>
  running.engine.db.orm.em.fork().findOneOrFail(UserAccountSchema, { memberId });
const xjpAccounts = async () =>
  (await simState<{ accounts: Array<{ memberId: string; accountNo: string }> }>(running.engine.xjpUrl)).accounts;

async function finish(orderNo: string): Promise<void> {
  await running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).terminate('test finished with it');
}

it('a stored account XJP does not know is re-opened before subscribing: the row updated, an event on the order, 201', async () => {
  const first = await buy(running.engine, purchaseBody('XJP-P-0002', 1_000_000, 'M41001'));
  expect(first.status).toBe(201);
  await finish(first.body.orderNo as string);
  const opened = await storedAccount('M41001');
  // As if XJP had lost the account: the stored number is one XJP never handed out.
  await running.engine.db.orm.em
    .fork()
    .nativeUpdate(UserAccountSchema, { memberId: 'M41001' }, { accountId: 'XJPA9999999999' });

  const again = await buy(running.engine, purchaseBody('XJP-P-0002', 1_000_000, 'M41001'));

  expect(again.status).toBe(201);
  const orderNo = again.body.orderNo as string;
  expect((await storedAccount('M41001')).accountId).toBe(opened.accountId);
  const events = await running.engine.db.orm.em
    .fork()
    .find(OrderEventSchema, { order: { orderNo }, cause: 'XJP_ACCOUNT_REOPENED' });
  expect(events.map((e) => e.detail)).toEqual([{ previousAccountNo: 'XJPA9999999999', accountNo: opened.accountId }]);
  await finish(orderNo);
});

it('an account number XJP hands out again after losing its books refuses the new member: 422 XJP_ACCOUNT_CONFLICT, REJECTED, no retry loop', async () => {
  const held = await storedAccount('M41001');
  // XJP forgets everything and numbers from the start again: its next account takes the stored number.
  await simAdmin(running.engine.xjpUrl, '/reset');

  const answer = await buy(running.engine, purchaseBody('XJP-P-0002', 1_000_000, 'M43001'), 'account-conflict-M43001');

  expect((await xjpAccounts()).find((a) => a.memberId === 'M43001')?.accountNo).toBe(held.accountId);
  expect(answer.status).toBe(422);
  expect(answer.body).toMatchObject({ error: { code: 'XJP_ACCOUNT_CONFLICT' } });
  const order = await running.engine.db.orm.em
    .fork()
    .findOneOrFail(PurchaseOrderSchema, { idempotencyKey: 'account-conflict-M43001' });
  expect(order).toMatchObject({ status: 'REJECTED', rejectReason: 'XJP_ACCOUNT_CONFLICT' });
  const final: PurchaseState = await running.env.client.workflow.getHandle(purchaseWorkflowId(order.orderNo)).result();
  expect(final).toMatchObject({ status: 'REJECTED', rejectReason: 'XJP_ACCOUNT_CONFLICT' });
});

it('a stored account XJP holds for another member refuses the order with XJP_ACCOUNT_CONFLICT', async () => {
  // After the test above XJP holds M41001's stored number for M43001.
  const answer = await buy(running.engine, purchaseBody('XJP-P-0002', 1_000_000, 'M41001'));

  expect(answer.status).toBe(422);
  expect(answer.body).toMatchObject({ error: { code: 'XJP_ACCOUNT_CONFLICT' } });
  expect((await storedAccount('M41001')).accountId).toBe(
    (await xjpAccounts()).find((a) => a.memberId === 'M43001')?.accountNo,
  );
});

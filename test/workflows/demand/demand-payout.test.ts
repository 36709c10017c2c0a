/**
 * Demand redemptions paid out through LianLian 代付, on the whole engine (time-skipping server,
 * PostgreSQL, API, XJP and LianLian simulators over HTTP): XJP settles a redemption to the platform
 * and the redemption's own payout run pays the member's card — a fast one at once, a standard one on
 * its pay date and not before; a LianLian failure parks for finance, whose retry pays under a new
 * payout id; a repeated payout notification changes nothing; an amount that is not what XJP settled
 * parks before anything leaves; LianLian's payout statement matches our rows.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { demandWorkflows } from '../../../src/api/demand/demand-workflows';
import { DemandPayoutSchema } from '../../../src/db/entities/demand-payout';
import { PartnerNotificationSchema } from '../../../src/db/entities/partner-notification';
import { ReconciliationFindingSchema } from '../../../src/db/entities/reconciliation-finding';
import { shanghaiDate } from '../../../src/domain/calendar';
import { nextBusinessDay } from '../../../src/domain/demand/business-days';
import { formatShanghaiTimestamp } from '../../../src/partners/lianlian/shanghai-time';
import { withSignature } from '../../../src/partners/signing';
import {
  demandPayoutRetryUpdate,
  demandPayoutStateQuery,
  demandPayoutWorkflowId,
  type DemandPayoutState,
} from '../../../workflows/demand-payout/contract';
import { demandHoldingQuery, demandWorkflowId, type DemandHoldingInput } from '../../../workflows/demand/contract';
import { PURCHASE_TASK_QUEUE } from '../../../workflows/purchase/contract';
import { reconciliationWorkflowId } from '../../../workflows/reconciliation/contract';
import { nextTradingDay as nextDay, skipToShanghai } from '../../../tools/testing/demand';
import { TEST_FINANCE, TEST_OPERATOR, useTestEngine } from '../../../tools/testing/engine';
import { seedMaturedOrder } from '../../../tools/testing/payouts';
import { payAtCashier, simAdmin, simState } from '../../../tools/testing/purchases';
import { waitForState } from '../../../tools/testing/wait';

const running = useTestEngine();
const em = () => running.engine.db.orm.em.fork();
const PRODUCT = 'XJPHQ01';
const AUDIT = { reason: 'card reissued', evidenceRef: 'TICKET-77' };
const FINANCE = { operator: 'fin.zhao', ...AUDIT };

/** Finance's retry of a parked demand payout through /ops. */
async function retry(payoutId: string, body: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${running.engine.apiUrl}/ops/demand/payouts/${payoutId}/retry`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-operator-key': TEST_FINANCE.key },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
let members = 0;

interface SimPayout {
  no_order: string;
  moneyFen: number;
  result_pay: string;
  history: { state: string }[];
}

const workflows = () => demandWorkflows(running.engine.client, PURCHASE_TASK_QUEUE);
const payoutHandle = (redemptionId: string) =>
  running.engine.client.workflow.getHandle(demandPayoutWorkflowId(redemptionId));

const skipTo = (date: string, minutes: number) => skipToShanghai(running, date, minutes);
const nextTradingDay = () => nextDay(running);

/**
 * A member with an XJP account, a card on file (a purchase order) and `amountFen` of units
 * available, on a business day at 10:00 Shanghai; answers the holding input and that day.
 */
async function holdingWith(amountFen: number): Promise<{ input: DemandHoldingInput; day: string }> {
  const memberId = `HQO${String(++members).padStart(4, '0')}`;
  await seedMaturedOrder(running, { principalFen: 10_000 + members, days: 1, memberId });
  const account = await running.engine.apiDependencies.xjp.openAccount({
    requestId: `open-${memberId}`,
    channel: 'APP',
    memberId,
    name: '张三',
    mobile: '13800138000',
    idCardNo: '11010519491231002X',
    email: 'hq-out@example.com',
  });
  const input: DemandHoldingInput = {
    memberId,
    productCode: PRODUCT,
    accountNo: account.accountNo,
    terms: { minAmountFen: 100, holdingCapFen: 50_000_000, fastRedemptionDailyLimitFen: 1_000_000 },
  };
  const paidOn = await nextTradingDay();
  await skipTo(paidOn, 10 * 60);
  const placed = await workflows().subscribe(input, { subscriptionId: `${memberId}-in`, amountFen });
  await payAtCashier(placed.paymentUrl);
  const handle = running.engine.client.workflow.getHandle(demandWorkflowId(memberId, PRODUCT));
  // The payment notice is taken up before the clock moves: a signal landing during a skip can strand the run (sdk-java#3088).
  await waitForState(
    () => handle.query(demandHoldingQuery),
    (s) => s.awaitingPayment.length === 0 && s.pendingSubscriptions.length === 1,
  );
  const day = nextBusinessDay(paidOn);
  await skipTo(day, 10 * 60);
  await waitForState(
    () => handle.query(demandHoldingQuery),
    (s) => s.availableFen >= amountFen,
  );
  return { input, day };
}

function payoutState(redemptionId: string, done: (s: DemandPayoutState) => boolean): Promise<DemandPayoutState> {
  return waitForState(
    async () => {
      try {
        return await payoutHandle(redemptionId).query(demandPayoutStateQuery);
      } catch {
        return undefined;
      }
    },
    (s) => s !== undefined && done(s),
  ) as Promise<DemandPayoutState>;
}

const rowsOf = (redemptionId: string) =>
  em().find(DemandPayoutSchema, { redemption: redemptionId }, { orderBy: { attempt: 'asc' } });

async function payoutsAtLianLian(redemptionId: string): Promise<SimPayout[]> {
  const state = await simState<{ payouts: SimPayout[] }>(running.engine.lianlianUrl);
  return state.payouts.filter((p) => p.no_order.startsWith(redemptionId));
}

/** Paid once: one SUCCESS at LianLian and in our rows, of the amount XJP settled, under `payoutId`. */
async function expectPaidOnce(redemptionId: string, payoutId: string, amountFen: number): Promise<void> {
  const rows = await waitForState(
    () => rowsOf(redemptionId),
    (r) => r.some((p) => p.status === 'SUCCESS'),
  );
  expect(rows.filter((p) => p.status === 'SUCCESS')).toEqual([
    expect.objectContaining({ payoutId, amountFen, settledAt: expect.any(Date) }),
  ]);
  expect((await payoutsAtLianLian(redemptionId)).filter((p) => p.result_pay === 'SUCCESS')).toEqual([
    expect.objectContaining({ no_order: payoutId, moneyFen: amountFen }),
  ]);
}

test('a fast redemption XJP settled to the platform is paid to the card once by 代付, the same day', async () => {
  const { input, day } = await holdingWith(300_000);
  const answer = await workflows().redeem(input.memberId, PRODUCT, {
    redemptionId: 'hqo-fast',
    amountFen: 123_400,
    kind: 'FAST',
  });
  expect(answer).toMatchObject({ status: 'SETTLED', payDate: day });
  const xjp = await running.engine.apiDependencies.xjp.demand.queryRedemption({ redemptionId: 'hqo-fast' });
  expect([xjp.status, xjp.settlesTo]).toEqual(['SETTLED', 'PLATFORM']);

  await payoutState('hqo-fast', (s) => s.paid);
  await expectPaidOnce('hqo-fast', 'hqo-fastP01', 123_400);
  // Paid before the engine's clock left the redemption's day.
  expect(shanghaiDate(new Date(await running.env.currentTimeMs()))).toBe(day);

  // LianLian's payout statement of the day it was applied lists it, and the reconciliation matches it to our row.
  const [row] = await rowsOf('hqo-fast');
  expect(row?.lianlianBillNo).toEqual(expect.any(String));
  const applied = shanghaiDate(row?.createdAt ?? new Date(0));
  const started = await fetch(`${running.engine.apiUrl}/ops/reconciliation/${applied}/run`, {
    method: 'POST',
    headers: { 'x-operator-key': TEST_OPERATOR.key },
  });
  expect(started.status).toBe(202);
  await running.engine.client.workflow.getHandle(reconciliationWorkflowId(applied)).result();
  const findings = await em().find(ReconciliationFindingSchema, { businessDate: applied, reference: 'hqo-fastP01' });
  expect(findings.map((f) => [f.side, f.category, f.kind, f.ourAmountFen, f.partnerAmountFen])).toEqual([
    ['LIANLIAN', 'PAYOUT', 'MATCHED', 123_400, 123_400],
  ]);
}, 120_000);

test('a standard redemption is paid on its pay date, not before', async () => {
  const { input, day } = await holdingWith(400_000);
  const answer = await workflows().redeem(input.memberId, PRODUCT, {
    redemptionId: 'hqo-standard',
    amountFen: 234_500,
    kind: 'STANDARD',
  });
  const payDate = nextBusinessDay(day);
  expect(answer).toMatchObject({ status: 'ACCEPTED', effectiveDate: day, payDate });

  await skipTo(payDate, 8 * 60);
  expect(await payoutState('hqo-standard', () => true)).toMatchObject({ awaiting: 'PAY_DATE', attempts: 0 });
  expect(await rowsOf('hqo-standard')).toEqual([]);
  expect(await payoutsAtLianLian('hqo-standard')).toEqual([]);

  // Just past 09:00: the skip ends before the payout's first query timer, which LianLian's notification then cancels.
  await skipTo(payDate, 9 * 60 + 1);
  await payoutState('hqo-standard', (s) => s.paid);
  await expectPaidOnce('hqo-standard', 'hqo-standardP01', 234_500);
  expect(shanghaiDate(new Date(await running.env.currentTimeMs()))).toBe(payDate);
}, 120_000);

test("LianLian's FAILURE parks the payout PAYOUT_FAILED (a forged SUCCESS changes nothing); finance's retry pays under a new payout id, once", async () => {
  const { input } = await holdingWith(500_000);
  await simAdmin(running.engine.lianlianUrl, '/payout-faults', { kind: 'fail', count: 1 });
  await workflows().redeem(input.memberId, PRODUCT, { redemptionId: 'hqo-failed', amountFen: 345_600, kind: 'FAST' });

  const parked = await payoutState('hqo-failed', (s) => s.awaiting === 'OPERATOR_REVIEW');
  expect(parked).toMatchObject({ parkReason: 'PAYOUT_FAILED', attempts: 1, payoutId: 'hqo-failedP01', paid: false });
  expect((await rowsOf('hqo-failed')).map((r) => [r.payoutId, r.status])).toEqual([['hqo-failedP01', 'FAILURE']]);

  // A forged SUCCESS for the failed payout is refused and recorded; the payout stays parked.
  const sentAt = new Date();
  const forged = {
    oid_partner: '201811220000001',
    no_order: 'hqo-failedP01',
    dt_order: formatShanghaiTimestamp(sentAt),
    money_order: '3456.00',
    oid_paybill: 'LLPAY-FORGED',
    result_pay: 'SUCCESS',
    settle_date: formatShanghaiTimestamp(sentAt).slice(0, 8),
    notification_id: 'll-ntf-forged-hqo',
    timestamp: formatShanghaiTimestamp(sentAt),
    sign_type: 'RSA',
  };
  const refused = await fetch(`${running.engine.apiUrl}/notify/lianlian/payout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(withSignature(forged, running.engine.keys.platform.privateKeyPem)),
  });
  expect(refused.status).toBe(401);
  expect(
    await em().find(PartnerNotificationSchema, { notificationId: 'll-ntf-forged-hqo' }, { fields: ['result'] }),
  ).toEqual([expect.objectContaining({ result: 'REJECTED_SIGNATURE' })]);
  expect(await payoutHandle('hqo-failed').query(demandPayoutStateQuery)).toMatchObject({
    awaiting: 'OPERATOR_REVIEW',
    parkReason: 'PAYOUT_FAILED',
  });

  // An incomplete audit is refused by the validator, and by the route before it.
  await expect(
    payoutHandle('hqo-failed').executeUpdate(demandPayoutRetryUpdate, { args: [{ ...FINANCE, evidenceRef: '' }] }),
  ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
  expect((await retry('hqo-failedP01', { reason: FINANCE.reason })).status).toBe(400);
  expect((await retry('hqo-missingP01', AUDIT)).status).toBe(404);

  const retried = await retry('hqo-failedP01', AUDIT);
  expect(retried.status).toBe(202);
  expect(retried.body).toMatchObject({ redemptionId: 'hqo-failed', action: 'RETRY', operator: TEST_FINANCE.name });
  await payoutState('hqo-failed', (s) => s.paid);
  await expectPaidOnce('hqo-failed', 'hqo-failedP02', 345_600);
  expect((await rowsOf('hqo-failed')).map((r) => [r.payoutId, r.status])).toEqual([
    ['hqo-failedP01', 'FAILURE'],
    ['hqo-failedP02', 'SUCCESS'],
  ]);
  // Paid: nothing is left to retry.
  const again = await retry('hqo-failedP02', AUDIT);
  expect([again.status, again.body.error]).toEqual([409, expect.objectContaining({ code: 'WRONG_STATE' })]);
}, 120_000);

test('a payout notification LianLian delivers twice is recorded twice and acted on once', async () => {
  const { input } = await holdingWith(600_000);
  await simAdmin(running.engine.lianlianUrl, '/notification-faults', { kind: 'duplicate', count: 1 });
  await workflows().redeem(input.memberId, PRODUCT, { redemptionId: 'hqo-twice', amountFen: 456_700, kind: 'FAST' });

  await payoutState('hqo-twice', (s) => s.paid);
  await expectPaidOnce('hqo-twice', 'hqo-twiceP01', 456_700);
  const deliveries = await waitForState(
    () => em().find(PartnerNotificationSchema, { orderNo: 'hqo-twice' }),
    (rows) => rows.length === 2,
  );
  expect(deliveries.map((r) => r.result).sort()).toEqual(['DUPLICATE', 'SIGNALLED']);
  expect(new Set(deliveries.map((r) => r.notificationId)).size).toBe(1);
  expect(await payoutsAtLianLian('hqo-twice')).toHaveLength(1);
  expect(await rowsOf('hqo-twice')).toHaveLength(1);
}, 120_000);

test('a payout whose amount is not what XJP settled and we booked parks REDEMPTION_MISMATCH and nothing leaves', async () => {
  const { input, day } = await holdingWith(700_000);
  await workflows().redeem(input.memberId, PRODUCT, {
    redemptionId: 'hqo-mismatch',
    amountFen: 567_800,
    kind: 'STANDARD',
  });
  // Our movement row is off by a fen from what XJP settled (planted before the pay date).
  await em()
    .getConnection()
    .execute(`update demand_movement set amount_fen = amount_fen + 1 where id = ?`, ['hqo-mismatch']);
  await skipTo(nextBusinessDay(day), 9 * 60 + 1);

  const parked = await payoutState('hqo-mismatch', (s) => s.awaiting === 'OPERATOR_REVIEW');
  expect(parked).toMatchObject({ parkReason: 'REDEMPTION_MISMATCH', attempts: 0, paid: false });
  expect(await rowsOf('hqo-mismatch')).toEqual([]);
  expect(await payoutsAtLianLian('hqo-mismatch')).toEqual([]);
}, 120_000);

test('a payout LianLian holds as a suspected duplicate is released by the run (no other attempt can pay) and paid once', async () => {
  const { input } = await holdingWith(800_000);
  await simAdmin(running.engine.lianlianUrl, '/payout-faults', { kind: 'hold', count: 1 });
  await workflows().redeem(input.memberId, PRODUCT, { redemptionId: 'hqo-held', amountFen: 678_900, kind: 'FAST' });

  await payoutState('hqo-held', (s) => s.paid);
  await expectPaidOnce('hqo-held', 'hqo-heldP01', 678_900);
  const [atLianLian] = await payoutsAtLianLian('hqo-held');
  expect(atLianLian?.history.map((h) => h.state)).toContain('CHECK');
}, 120_000);

test('a payout the bank reverses after SUCCESS is caught by the watch: parked PAYOUT_REVERSED, its row CANCEL, and finance’s retry pays under a new payout id, once', async () => {
  const { input } = await holdingWith(900_000);
  await simAdmin(running.engine.lianlianUrl, '/payout-faults', { kind: 'reverse', count: 1 });
  await workflows().redeem(input.memberId, PRODUCT, { redemptionId: 'hqo-reversed', amountFen: 789_000, kind: 'FAST' });

  const parked = await payoutState('hqo-reversed', (s) => s.awaiting === 'OPERATOR_REVIEW');
  expect(parked).toMatchObject({ parkReason: 'PAYOUT_REVERSED', payoutId: 'hqo-reversedP01', paid: false });
  expect((await rowsOf('hqo-reversed')).map((r) => [r.payoutId, r.status])).toEqual([['hqo-reversedP01', 'CANCEL']]);

  expect((await retry('hqo-reversedP01', AUDIT)).status).toBe(202);
  const paid = await payoutState('hqo-reversed', (s) => s.paid);
  expect(paid).toMatchObject({ awaiting: 'REVERSAL_WATCH', payoutId: 'hqo-reversedP02', attempts: 2 });
  expect((await rowsOf('hqo-reversed')).map((r) => [r.payoutId, r.status])).toEqual([
    ['hqo-reversedP01', 'CANCEL'],
    ['hqo-reversedP02', 'SUCCESS'],
  ]);
  expect((await payoutsAtLianLian('hqo-reversed')).map((p) => [p.no_order, p.result_pay])).toEqual([
    ['hqo-reversedP01', 'CANCEL'],
    ['hqo-reversedP02', 'SUCCESS'],
  ]);
}, 120_000);

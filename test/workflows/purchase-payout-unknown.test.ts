/**
 * An operator's retry after a payout whose result stayed UNKNOWN (a week of queries ran out while
 * LianLian still had it in progress): the retry follows the same payout, which has since paid,
 * instead of paying the investor a second time under a new payout id.
 * Its own engine: LianLian's payout steps are slowed (real time) so the payout outlasts the queries.
 */
import { OrderEventSchema } from '../../src/db/entities/order-event';
import { PayoutSchema } from '../../src/db/entities/payout';
import { interestForDays } from '../../src/domain/interest';
import { parseAnnualRate } from '../../src/domain/rate';
import {
  purchaseStateQuery,
  purchaseWorkflowId,
  type PurchaseState
} from '../../workflows/purchase/contract';
import { operatorRetryPayoutSignal } from '../../workflows/payout/contract';
import { useTestEngine } from '../../tools/testing/engine';
import { buy, payAtCashier, purchaseBody, simAdmin, simState } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

/** Each of LianLian's payout steps (WAITING → PROCESSING → SUCCESS) takes this long, in real time. */
const PAYOUT_STEP_MS = 60_000;
const DAY_MS = 24 * 3600 * 1000;


const running = useTestEngine({ payoutStepDelayMs: PAYOUT_STEP_MS });

interface SimPayout {
  no_order: string;
  moneyFen: number;
  result_pay: string;
}

function stateOf(orderNo: string): Promise<PurchaseState> {
  return running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).query(purchaseStateQuery);
}

async function payoutsAtLianLian(orderNo: string): Promise<SimPayout[]> {
  const state = await simState<{ payouts: SimPayout[] }>(running.engine.lianlianUrl);
  return state.payouts.filter((p) => p.no_order.startsWith(orderNo));
}

test(
  'an operator retry after an UNKNOWN payout result completes with that payout once it has paid, never paying twice',
  async () => {
    const amountFen = 100_000;
    const interest = interestForDays(amountFen, parseAnnualRate('0.0325'), 30, 365);
    const created = await buy(running.engine, purchaseBody('XJP-P-0001', amountFen));
    const orderNo = created.body.orderNo as string;
    await payAtCashier(created.body.paymentUrl as string);
    await waitForState(() => stateOf(orderNo), (s) => s.status === 'ACCRUING');
    // The payout's SUCCESS notification is lost: only a query can tell the running.engine.
    await simAdmin(running.engine.lianlianUrl, '/notification-faults', { kind: 'drop', count: 1 });

    // Maturity, then a week of unanswered queries, a day of workflow time at a time.
    let state = await stateOf(orderNo);
    for (let day = 0; day < 60 && state.status !== 'PAYOUT_FAILED' && state.status !== 'COMPLETED'; day++) {
      await running.env.sleep(DAY_MS);
      state = await stateOf(orderNo);
    }
    expect(state).toMatchObject({ status: 'PAYOUT_FAILED', awaiting: 'OPERATOR_RETRY', payoutId: `${orderNo}P01` });
    const em = running.engine.db.orm.em.fork();
    const lastEvent = async () => (await em.find(OrderEventSchema, { order: { orderNo } }, { orderBy: { occurredAt: 'desc', id: 'desc' }, limit: 1 }))[0];
    expect(await lastEvent()).toMatchObject({ toStatus: 'PAYOUT_FAILED', cause: 'PAYOUT_UNKNOWN' });
    // The row keeps LianLian's last answer, still in progress.
    expect(await em.find(PayoutSchema, { order: { orderNo } })).toEqual([expect.objectContaining({ status: expect.stringMatching(/^(WAITING|PROCESSING)$/) })]);

    // Meanwhile LianLian pays it after all.
    await waitForState(() => payoutsAtLianLian(orderNo), (ps) => ps[0]?.result_pay === 'SUCCESS', 3 * PAYOUT_STEP_MS);
    await running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).signal(operatorRetryPayoutSignal, { operator: 'ops.zhao' });
    const final: PurchaseState = await running.env.client.workflow.getHandle(purchaseWorkflowId(orderNo)).result();

    expect(final).toMatchObject({ status: 'COMPLETED', payoutId: `${orderNo}P01`, payoutAttempts: 1 });
    expect(await payoutsAtLianLian(orderNo)).toEqual([expect.objectContaining({ result_pay: 'SUCCESS', moneyFen: amountFen + interest })]);
    const payouts = await em.find(PayoutSchema, { order: { orderNo } }, { refresh: true });
    expect(payouts).toEqual([expect.objectContaining({ payoutNo: `${orderNo}P01`, status: 'SUCCESS', totalFen: amountFen + interest })]);
    const events = await em.find(OrderEventSchema, { order: { orderNo } }, { orderBy: { occurredAt: 'asc', id: 'asc' } });
    expect(events.map((e) => e.cause).slice(-3)).toEqual(['PAYOUT_UNKNOWN', 'OPERATOR_RETRIED_PAYOUT', 'PAYOUT_SUCCEEDED']);
    expect(events.at(-2)).toMatchObject({ actorRef: 'ops.zhao', detail: expect.objectContaining({ payoutId: `${orderNo}P01`, followsUnknownPayout: true }) });
  },
  8 * PAYOUT_STEP_MS,
);

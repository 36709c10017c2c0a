/**
 * A payout whose result stays unknown (a week of queries ran out while LianLian still had it in
 * progress) parks PAYOUT_OUTCOME_UNKNOWN; finance's retry follows the same payout, which has since
 * paid, instead of paying the investor a second time under a new payout id.
 * Its own engine: LianLian's payout steps are slowed (real time) so the payout outlasts the queries.
 */
import { OrderEventSchema } from '../../../src/db/entities/order-event';
import { PayoutSchema } from '../../../src/db/entities/payout';
import { operatorPayoutActionUpdate, type PayoutResult, payoutWorkflowId } from '../../../workflows/payout/contract';
import { useTestEngine } from '../../../tools/testing/engine';
import { seedMaturedOrder, skipUntilPayout, startPayout } from '../../../tools/testing/payouts';
import { simAdmin, simState } from '../../../tools/testing/purchases';
import { waitForState } from '../../../tools/testing/wait';

/** Each of LianLian's payout steps (WAITING → PROCESSING → SUCCESS) takes this long, in real time: long enough for the week of skipped queries to finish first on a loaded machine (60 s was not, at load 7). */
const PAYOUT_STEP_MS = 90_000;

const running = useTestEngine({ payoutStepDelayMs: PAYOUT_STEP_MS });

interface SimPayout {
  no_order: string;
  moneyFen: number;
  result_pay: string;
}

async function payoutsAtLianLian(orderNo: string): Promise<SimPayout[]> {
  const state = await simState<{ payouts: SimPayout[] }>(running.engine.lianlianUrl);
  return state.payouts.filter((p) => p.no_order.startsWith(orderNo));
}

test(
  'a retry after an unknown payout outcome follows that payout to its success, never paying twice',
  async () => {
    const order = await seedMaturedOrder(running, { principalFen: 100_000, days: 30 });
    const total = order.principalFen + order.interestFen;
    // The payout's SUCCESS notification is lost: only a query can tell.
    await simAdmin(running.engine.lianlianUrl, '/notification-faults', { kind: 'drop', count: 1 });
    await startPayout(running, order);

    // A week of unanswered queries, skipped an hour at a time.
    const parked = await skipUntilPayout(running, order.orderNo, (s) => s.awaiting === 'OPERATOR_REVIEW', 24 * 9);
    expect(parked).toMatchObject({
      status: 'PAYOUT_FAILED',
      parkReason: 'PAYOUT_OUTCOME_UNKNOWN',
      payoutId: `${order.orderNo}P01`,
      attempts: 1,
    });
    const em = running.engine.db.orm.em.fork();
    // The row keeps LianLian's last answer, still in progress; finance cannot pay by hand what may still pay.
    expect(await em.find(PayoutSchema, { order: { orderNo: order.orderNo } })).toEqual([
      expect.objectContaining({ status: expect.stringMatching(/^(WAITING|PROCESSING)$/) }),
    ]);
    const handle = running.engine.client.workflow.getHandle(payoutWorkflowId(order.orderNo));
    const audit = { operator: 'ops.zhao', reason: 'LianLian says it is processing', evidenceRef: 'CALL-7' };
    await expect(
      handle.executeUpdate(operatorPayoutActionUpdate, { args: [{ action: 'MARK_PAID_BY_HAND', ...audit }] }),
    ).rejects.toThrow();

    // Meanwhile LianLian pays it after all.
    await waitForState(
      () => payoutsAtLianLian(order.orderNo),
      (ps) => ps[0]?.result_pay === 'SUCCESS',
      3 * PAYOUT_STEP_MS,
    );
    await handle.executeUpdate(operatorPayoutActionUpdate, { args: [{ action: 'RETRY', ...audit }] });
    const result: PayoutResult = await running.env.client.workflow.getHandle(payoutWorkflowId(order.orderNo)).result();

    expect(result).toEqual({ outcome: 'PAID', payoutId: `${order.orderNo}P01`, attempts: 1, totalFen: total });
    expect(await payoutsAtLianLian(order.orderNo)).toEqual([
      expect.objectContaining({ result_pay: 'SUCCESS', moneyFen: total }),
    ]);
    const payouts = await em.find(PayoutSchema, { order: { orderNo: order.orderNo } }, { refresh: true });
    expect(payouts).toEqual([
      expect.objectContaining({ payoutNo: `${order.orderNo}P01`, status: 'SUCCESS', totalFen: total }),
    ]);
    const events = await em.find(
      OrderEventSchema,
      { order: { orderNo: order.orderNo } },
      { orderBy: { occurredAt: 'asc', id: 'asc' } },
    );
    expect(events.map((e) => e.cause).slice(-3)).toEqual([
      'PAYOUT_OUTCOME_UNKNOWN',
      'OPERATOR_RETRIED_PAYOUT',
      'PAYOUT_SUCCEEDED',
    ]);
    expect(events.at(-2)).toMatchObject({
      actorRef: 'ops.zhao',
      detail: expect.objectContaining({ follows: `${order.orderNo}P01`, evidenceRef: 'CALL-7' }),
    });
  },
  8 * PAYOUT_STEP_MS,
);

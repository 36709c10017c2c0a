/** Payout tests start where the payout starts: a matured, redeemed order, and its payout workflow. */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { postAccrual } from '../../src/db/repositories/accruals';
import { createOrder, transitionOrder } from '../../src/db/repositories/orders';
import { upsertRedemption } from '../../src/db/repositories/redemptions';
import type { payoutWorkflow } from '../../workflows/payout/workflow';
import { type PayoutState, payoutStateQuery, payoutWorkflowId } from '../../workflows/payout/contract';
import { PURCHASE_TASK_QUEUE, searchAttributes } from '../../workflows/purchase/contract';
import type { RunningTestEngine } from './engine';
import { purchaseBody } from './purchases';

/** A matured order: its figures, and how far XJP's redemption is off from them. */
export interface MaturedOrderSpec {
  principalFen: number;
  /** Accrual days in the ledger, each earning principal / 10 000 + 1 fen. */
  days: number;
  /** Added to XJP's redemption interest (0: XJP agrees). */
  redemptionOffByFen?: number;
  /** Whose order it is (default: purchaseBody's member); its card is then the member's card on file. */
  memberId?: string;
}

/** The seeded order: its number and the interest its ledger holds. */
export interface MaturedOrder {
  orderNo: string;
  principalFen: number;
  interestFen: number;
}

/** Writes a MATURED order straight to PostgreSQL with its ledger and XJP's settled redemption. */
export async function seedMaturedOrder(running: RunningTestEngine, spec: MaturedOrderSpec): Promise<MaturedOrder> {
  const em = () => running.engine.db.orm.em.fork();
  const body = purchaseBody('XJP-P-0001', spec.principalFen, spec.memberId);
  const at = new Date();
  const { orderNo } = await createOrder(em(), running.engine.pii, {
    idempotencyKey: `seed-${randomUUID()}`,
    memberId: body.memberId,
    product: {
      productId: 'XJP-P-0001',
      productCode: 'XJP30D2601',
      productName: '小金票30天',
      annualRate: '0.0325',
      term: { unit: 'DAY', value: 30 },
      dayCountBasis: 365,
      interestStartRule: 'T+1',
      payoutMode: 'AUTO',
      acceptingBank: '中国工商银行',
    },
    amountFen: spec.principalFen,
    channel: body.channel,
    investor: { ...body.investor, bankCardNo: body.bankCard.cardNo, bankCode: body.bankCard.bankCode },
    actor: 'INVESTOR',
    at,
  });
  for (const to of ['SUBSCRIBED', 'PAID', 'ACCRUING', 'MATURED'] as const) {
    await transitionOrder(em(), { orderNo, to, cause: 'SEEDED', actor: 'SYSTEM', at });
  }
  const daily = Math.floor(spec.principalFen / 10_000) + 1;
  for (let day = 1; day <= spec.days; day++) {
    const accrualDate = `2026-10-${String(day).padStart(2, '0')}`;
    await postAccrual(em(), { orderNo, accrualDate, dayIndex: day, amountFen: daily, cumulativeFen: daily * day, at });
  }
  const interestFen = daily * spec.days;
  await upsertRedemption(em(), {
    orderNo,
    status: 'SETTLED',
    xjpRedemptionId: `R-${orderNo}`,
    principalFen: spec.principalFen,
    interestFen: interestFen + (spec.redemptionOffByFen ?? 0),
    at,
    settledAt: at,
  });
  return { orderNo, principalFen: spec.principalFen, interestFen };
}

/** Starts the order's payout workflow as the purchase workflow would. */
export async function startPayout(
  running: RunningTestEngine,
  order: MaturedOrder,
): Promise<WorkflowHandle<typeof payoutWorkflow>> {
  return running.engine.client.workflow.start<typeof payoutWorkflow>('payoutWorkflow', {
    workflowId: payoutWorkflowId(order.orderNo),
    taskQueue: PURCHASE_TASK_QUEUE,
    args: [{ orderNo: order.orderNo, principalFen: order.principalFen, interestFen: order.interestFen }],
    typedSearchAttributes: [{ key: searchAttributes.orderNo, value: order.orderNo }],
  });
}

/** The payout's live state. */
export function payoutStateOf(running: RunningTestEngine, orderNo: string): Promise<PayoutState> {
  return running.engine.client.workflow.getHandle(payoutWorkflowId(orderNo)).query(payoutStateQuery);
}

/**
 * Skips workflow time an hour at a time until the payout's state satisfies `done` (bounded), so time
 * stops right after the step that reached it.
 */
export async function skipUntilPayout(
  running: RunningTestEngine,
  orderNo: string,
  done: (s: PayoutState) => boolean,
  maxHours = 24 * 40,
): Promise<PayoutState> {
  for (let hour = 0; hour < maxHours; hour++) {
    const state = await payoutStateOf(running, orderNo);
    if (done(state)) return state;
    await running.env.sleep(3600 * 1000);
  }
  throw new Error(`payout of ${orderNo} did not reach the expected state within ${maxHours} hours`);
}

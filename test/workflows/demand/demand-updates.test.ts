/**
 * The demand holding's Updates on the time-skipping server with stubbed activities: what the
 * validators refuse leaves nothing in history, and two redemptions racing for the same units
 * cannot both be paid.
 */
import { randomUUID } from 'node:crypto';
import { Client, type WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { DemandActivities } from '../../../activities';
import { shanghaiDate, shanghaiMidnight, addDays } from '../../../src/domain/calendar';
import { redemptionDates, subscriptionDates } from '../../../src/domain/demand/cut-off';
import { dailyIncomeFen } from '../../../src/domain/demand/income';
import { registerSearchAttributes } from '../../../src/temporal/search-attributes';
import { workflowTracingSinks } from '../../../src/temporal/interceptors';
import { purchaseWorkflowBundle } from '../../../src/temporal/workflow-bundle';
import {
  demandHoldingQuery,
  demandPaymentNotifiedSignal,
  demandRedeemUpdate,
  demandSubscribeUpdate,
  type DemandHoldingInput,
} from '../../../workflows/demand/contract';
import { addedBesidesWorkflowTasks, historyEventTypes } from '../../../tools/testing/history';
import { createTimeSkippingTestEnv } from '../../../tools/testing/temporal';
import { waitForState } from '../../../tools/testing/wait';

let env: TestWorkflowEnvironment;
// A plain client: the test server's own client may unlock time skipping while it waits.
let client: Client;

beforeAll(async () => {
  env = await createTimeSkippingTestEnv();
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

/** XJP and the database stood in for: dates by the domain's cut-off, redemptions answered after a pause. */
function stubs(redeemDelayMs: number): DemandActivities {
  return {
    openDemandHolding: async () => undefined,
    placeDemandSubscription: async (call) => ({
      subscriptionId: call.subscriptionId,
      xjpSubscriptionNo: `HQS-${call.subscriptionId}`,
      amountFen: call.amountFen,
      requestedAt: call.requestedAt,
      paymentUrl: `https://cashier.invalid/${call.subscriptionId}`,
      payBefore: new Date(new Date(call.requestedAt).getTime() + 30 * 60_000).toISOString(),
    }),
    confirmDemandSubscription: async (call) => ({
      outcome: 'CONFIRMED',
      amountFen: 1_000_000,
      ...subscriptionDates(new Date(call.paidAt)),
    }),
    expireDemandSubscription: async () => ({ outcome: 'EXPIRED' }),
    recordLateDemandPayment: async () => false,
    redeemDemand: async (call) => {
      await new Promise((resolve) => setTimeout(resolve, redeemDelayMs));
      return {
        redemptionId: call.redemptionId,
        xjpRedemptionNo: `HQR-${call.redemptionId}`,
        productCode: call.productCode,
        accountNo: call.accountNo,
        amountFen: call.amountFen,
        kind: call.kind,
        requestedAt: call.requestedAt,
        ...redemptionDates(call.kind, new Date(call.requestedAt)),
        status: call.kind === 'FAST' ? 'SETTLED' : 'ACCEPTED',
        settlesTo: 'PLATFORM',
      };
    },
    postDemandDay: async (call) => ({
      incomePer10kFen: '0.5000',
      sevenDayYield: '0.018250',
      incomeFen: dailyIncomeFen(call.unitsFen, '0.5000'),
    }),
  };
}

const input = (memberId: string): DemandHoldingInput => ({
  memberId,
  productCode: 'XJPHQ01',
  accountNo: `ACC-${memberId}`,
  terms: { minAmountFen: 100, holdingCapFen: 50_000_000, fastRedemptionDailyLimitFen: 5_000_000 },
});

async function withHolding(redeemDelayMs: number, run: (handle: WorkflowHandle) => Promise<void>): Promise<void> {
  const taskQueue = `demand-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: await purchaseWorkflowBundle(),
    activities: stubs(redeemDelayMs),
    sinks: workflowTracingSinks(undefined),
  });
  await worker.runUntil(async () => {
    const memberId = `M${randomUUID().slice(0, 8)}`;
    const handle = await client.workflow.start('demandHoldingWorkflow', {
      taskQueue,
      workflowId: `demand-${memberId}-XJPHQ01`,
      args: [input(memberId)],
    });
    await handle.executeUpdate(demandSubscribeUpdate, { args: [{ subscriptionId: 's1', amountFen: 1_000_000 }] });
    await handle.signal(demandPaymentNotifiedSignal, {
      notificationId: 'n1',
      subscriptionId: 's1',
      xjpSubscriptionNo: 'HQS-s1',
      paymentBillNo: 'B1',
      paidAmountFen: 1_000_000,
    });
    await waitForState(
      () => handle.query(demandHoldingQuery),
      (state) => state.pendingSubscriptions.length === 1,
    );
    // Past the first earning day (at most a holiday week away), so the units are confirmed and available.
    const { countsFrom } = await handle.query(demandHoldingQuery).then((s) => s.pendingSubscriptions[0]!);
    const target = shanghaiMidnight(addDays(countsFrom, 1)).getTime() + 11 * 3600 * 1000;
    await env.sleep(target - (await env.currentTimeMs()));
    try {
      await run(handle);
    } finally {
      // A run left behind on a queue no worker polls would hold the shared test server's clock.
      await handle.terminate('test over');
    }
  });
}

function refusalType(result: PromiseSettledResult<unknown>): string | undefined {
  if (result.status !== 'rejected' || !(result.reason instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = result.reason.cause as { type?: string } | undefined;
  return cause?.type;
}

test('a redemption above the available units is refused by the validator and leaves nothing in history', async () => {
  await withHolding(0, async (handle) => {
    const state = await handle.query(demandHoldingQuery);
    expect(state.availableFen).toBeGreaterThan(1_000_000);
    const before = await historyEventTypes(handle);
    const [refused] = await Promise.allSettled([
      handle.executeUpdate(demandRedeemUpdate, {
        args: [{ redemptionId: 'r-over', amountFen: state.availableFen + 1, kind: 'STANDARD' }],
      }),
    ]);
    expect(refusalType(refused!)).toBe('DEMAND_INSUFFICIENT_UNITS');
    expect(addedBesidesWorkflowTasks(before, await historyEventTypes(handle))).toEqual([]);
    expect(shanghaiDate(new Date(await env.currentTimeMs()))).toBe(addDays(state.lastIncomeDate, 1));
  });
}, 120_000);

test('two redemptions racing for the same units: one is paid, the other refused, and the units never go negative', async () => {
  await withHolding(300, async (handle) => {
    const { availableFen } = await handle.query(demandHoldingQuery);
    const share = Math.floor(availableFen * 0.6);
    const results = await Promise.allSettled(
      ['r-a', 'r-b'].map((redemptionId) =>
        handle.executeUpdate(demandRedeemUpdate, { args: [{ redemptionId, amountFen: share, kind: 'FAST' }] }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.map(refusalType).filter((t) => t !== undefined)).toEqual(['DEMAND_INSUFFICIENT_UNITS']);
    const after = await handle.query(demandHoldingQuery);
    expect(after.availableFen).toBe(availableFen - share);
    expect(after.fastRedeemedTodayFen).toBe(share);
  });
}, 120_000);

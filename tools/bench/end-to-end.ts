/**
 * End to end: N purchases bought over HTTP, paid at the LianLian cashier (the simulator's payment
 * path: LianLian → XJP → our /notify → the run), until each order row reads ACCRUING; against a
 * bare workflow running the same number of no-op activities, at the same concurrency, on the same
 * server. Both sides are closed loops of `concurrency` jobs.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { PurchaseOrderSchema } from '../../src/db/entities/purchase-order';
import { purchaseWorkflowId } from '../../workflows/purchase/contract';
import { payAtCashier } from '../testing/purchases';
import { busyShare, cpuPer, cpuSpent, machineCpu, type CpuMs } from './cpu-probe';
import type { BenchStack } from './dev-stack';
import { BARE_TASK_QUEUE } from './fixtures/bare-worker';
import type { bareWorkflow } from './fixtures/bare-workflow';
import { countEvents, EventType } from './history-shape';
import type { PreparedRequest } from './load/load';
import { ladderMember, preparePurchase } from './purchase-requests';
import { round } from './stats';

export interface EndToEndResult {
  readonly purchases: number;
  readonly concurrency: number;
  /** Activities a purchase runs until ACCRUING (counted in one run's history): the baseline runs as many. */
  readonly activitiesPerPurchase: number;
  readonly purchasesPerSec: number;
  readonly bareWorkflowsPerSec: number;
  /** Purchases per second ÷ bare workflows per second (the target: ≥ 0.8). */
  readonly ratio: number;
  readonly purchaseWallMs: number;
  readonly bareWallMs: number;
  /** CPU per purchase and per bare workflow, by part of the stack (ms). */
  readonly cpuMsPerPurchase: CpuMs;
  readonly cpuMsPerBareWorkflow: CpuMs;
  /** Share of the machine's two cores busy during each side (all processes, the lead's included). */
  readonly machineBusyPurchase: number;
  readonly machineBusyBare: number;
}

/** How often the order rows are read for ACCRUING: one query for every order still waited on. */
const POLL_MS = 50;

/** Resolves each order once its row reads ACCRUING, with one query per poll for all of them. */
class AccruingWatch {
  private readonly waiting = new Map<string, () => void>();
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(private readonly stack: BenchStack) {
    this.loop = this.poll();
  }

  until(orderNo: string): Promise<void> {
    return new Promise((resolve) => this.waiting.set(orderNo, resolve));
  }

  private async poll(): Promise<void> {
    while (!this.stopped) {
      if (this.waiting.size > 0) {
        const rows = await this.stack.engine.db.orm.em
          .fork()
          .find(
            PurchaseOrderSchema,
            { orderNo: { $in: [...this.waiting.keys()] }, status: 'ACCRUING' },
            { fields: ['orderNo'] },
          );
        for (const { orderNo } of rows) {
          this.waiting.get(orderNo)?.();
          this.waiting.delete(orderNo);
        }
      }
      await delay(POLL_MS);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

/** Runs `jobs` jobs with at most `concurrency` at once; resolves with the wall time of all. */
async function closedLoop(jobs: number, concurrency: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, jobs) }, async () => {
      for (let i = next++; i < jobs; i = next++) await job(i);
    }),
  );
  return performance.now() - start;
}

async function buyAndPay(stack: BenchStack, prepared: PreparedRequest, watch: AccruingWatch): Promise<string> {
  const response = await fetch(`${stack.engine.apiUrl}/v1/purchases`, {
    method: 'POST',
    headers: prepared.headers,
    body: prepared.body,
  });
  const body = (await response.json()) as { orderNo?: string; paymentUrl?: string };
  if (response.status !== 201 || body.orderNo === undefined || body.paymentUrl === undefined)
    throw new Error(`purchase answered ${response.status}: ${JSON.stringify(body)}`);
  const accruing = watch.until(body.orderNo);
  await payAtCashier(body.paymentUrl);
  await accruing;
  return body.orderNo;
}

export async function runEndToEnd(stack: BenchStack, purchases: number, concurrency: number): Promise<EndToEndResult> {
  // Minted before the clock starts (each token lives 5 minutes; the purchases take well under that).
  const prepared: PreparedRequest[] = [];
  for (let i = 0; i < purchases; i++) prepared.push(await preparePurchase(ladderMember(i)));
  const watch = new AccruingWatch(stack);
  const orderNos: string[] = [];
  let purchaseWallMs: number;
  const purchaseCpu = stack.cpu.snapshot();
  const purchaseMachine = machineCpu();
  try {
    purchaseWallMs = await closedLoop(purchases, concurrency, async (i) => {
      orderNos.push(await buyAndPay(stack, prepared[i]!, watch));
    });
  } finally {
    await watch.stop();
  }
  const purchaseSpent = cpuSpent(purchaseCpu, stack.cpu.snapshot());
  const machineBusyPurchase = busyShare(purchaseMachine, machineCpu());
  // The run now sleeps until its first accrual day has ended: its history holds every activity before ACCRUING.
  const sample = orderNos[0];
  if (sample === undefined) throw new Error('no purchase completed');
  const history = await stack.engine.client.workflow.getHandle(purchaseWorkflowId(sample)).fetchHistory();
  const activitiesPerPurchase = countEvents(history.events ?? [], EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);

  const bareCpu = stack.cpu.snapshot();
  const bareMachine = machineCpu();
  const bareWallMs = await closedLoop(purchases, concurrency, async () => {
    await stack.bareClient.workflow.execute<typeof bareWorkflow>('bareWorkflow', {
      taskQueue: BARE_TASK_QUEUE,
      workflowId: `bench-e2e-bare-${randomUUID()}`,
      args: [{ activities: activitiesPerPurchase, timers: 0 }],
    });
  });
  const bareSpent = cpuSpent(bareCpu, stack.cpu.snapshot());
  const machineBusyBare = busyShare(bareMachine, machineCpu());
  const purchasesPerSec = (purchases * 1000) / purchaseWallMs;
  const bareWorkflowsPerSec = (purchases * 1000) / bareWallMs;
  return {
    purchases,
    concurrency,
    activitiesPerPurchase,
    purchasesPerSec: round(purchasesPerSec, 2),
    bareWorkflowsPerSec: round(bareWorkflowsPerSec, 2),
    ratio: round(purchasesPerSec / bareWorkflowsPerSec, 3),
    purchaseWallMs: round(purchaseWallMs, 0),
    bareWallMs: round(bareWallMs, 0),
    cpuMsPerPurchase: cpuPer(purchaseSpent, purchases),
    cpuMsPerBareWorkflow: cpuPer(bareSpent, purchases),
    machineBusyPurchase: round(machineBusyPurchase, 2),
    machineBusyBare: round(machineBusyBare, 2),
  };
}

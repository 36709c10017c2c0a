/**
 * `npm run chaos` (`-- --quick` for CI): the fault suite. Starts embedded PostgreSQL, the Temporal
 * CLI dev server, both simulators, and the API and the worker as separate processes on a fresh
 * data directory; buys while killing the worker (SIGKILL, at random moments), Temporal, PostgreSQL
 * and the API; then checks every order's end state against the database, the workflow and both
 * partners' books; then a burst with shared Idempotency-Keys, generated hostile requests and
 * notification attacks. Prints its figures; the last line is the summary. Exits 1 when any is off.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { checkBooks, settle } from './books';
import { hostileRequests } from './hostile';
import { pool, Tally } from './http';
import { notificationAttacks } from './notifications';
import { startChaosStack, type ChaosStack } from './processes';
import { buy, buyAndAct, type Intent, type Purchase } from './purchases';

/** The sizes of one run: the default meets issue 14's figures; `--quick` is the CI smoke of the same story. */
const PLANS = {
  full: {
    crashPurchases: 120,
    workerKills: 10,
    burst: 1_000,
    burstPairs: 100,
    burstConcurrency: 50,
    hostile: 10_000,
    notifiedOrders: 20,
  },
  quick: {
    crashPurchases: 30,
    workerKills: 3,
    burst: 100,
    burstPairs: 10,
    burstConcurrency: 20,
    hostile: 1_000,
    notifiedOrders: 5,
  },
} as const;
type Plan = (typeof PLANS)[keyof typeof PLANS];

/** Unpaid orders expire after this; the suite waits for it, so it is the shortest the configuration allows. */
const PAYMENT_WINDOW_MINUTES = 1;
const AMOUNT_FEN = 100_000;

const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));
const log = (message: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${message}`);

function intentOf(index: number): Intent {
  if (index % 10 === 3) return 'CANCEL';
  if (index % 7 === 5) return 'LEAVE_UNPAID';
  return 'PAY';
}

/** The faults, in a shuffled order: the worker `workerKills` times, Temporal, PostgreSQL and the API once each. */
function faultPlan(workerKills: number): string[] {
  const faults = [...Array.from({ length: workerKills }, () => 'worker'), 'temporal', 'postgres', 'api'];
  for (let i = faults.length - 1; i > 0; i -= 1) {
    const j = random(0, i + 1);
    [faults[i], faults[j]] = [faults[j] as string, faults[i] as string];
  }
  return faults;
}

/** Kills a part as a crash would, waits a moment (ms range), and starts it again on the same data. */
async function inject(stack: ChaosStack, fault: string): Promise<void> {
  const parts: Record<string, { kill(): Promise<void>; start(): Promise<void>; downMs: [number, number] }> = {
    worker: { kill: () => stack.worker.kill(), start: () => stack.worker.start(), downMs: [200, 2_000] },
    temporal: { kill: () => stack.temporal.kill(), start: () => stack.temporal.start(), downMs: [1_000, 3_000] },
    postgres: { kill: () => stack.killPostgres(), start: () => stack.startPostgres(), downMs: [1_000, 3_000] },
    api: { kill: () => stack.api.kill(), start: () => stack.api.start(), downMs: [500, 2_000] },
  };
  const part = parts[fault];
  if (part === undefined) throw new Error(`unknown fault ${fault}`);
  await part.kill();
  await delay(random(...part.downMs));
  await part.start();
}

async function crashSafety(stack: ChaosStack, plan: Plan, tally: Tally): Promise<Purchase[]> {
  const purchases: Purchase[] = Array.from({ length: plan.crashPurchases }, (_, i) => ({
    idempotencyKey: `chaos-crash-${i}-${Date.now()}`,
    memberId: `MC${String(i).padStart(5, '0')}`,
    amountFen: AMOUNT_FEN + (i % 50) * 1_000,
    intent: intentOf(i),
  }));
  const deadline = Date.now() + 8 * 60_000;
  let buying = true;
  const buyers = pool(purchases, 8, async (purchase) => {
    await delay(random(0, 3_000));
    await buyAndAct(stack, tally, purchase, deadline);
  }).finally(() => (buying = false));
  const faults = (async () => {
    for (const fault of faultPlan(plan.workerKills)) {
      await delay(random(buying ? 1_000 : 200, buying ? 5_000 : 1_500));
      log(`fault: ${fault}`);
      await inject(stack, fault);
    }
  })();
  await Promise.all([buyers, faults]);
  log(
    `crash phase: ${purchases.filter((p) => p.orderNo).length}/${purchases.length} orders made; settling (unpaid orders expire after ${PAYMENT_WINDOW_MINUTES} min)`,
  );
  await settle(stack, purchases, Date.now() + (PAYMENT_WINDOW_MINUTES + 4) * 60_000);
  return purchases;
}

/** `burst` purchases at `burstConcurrency`, the first `burstPairs` keys sent twice: one order per key, all distinct. */
async function burst(stack: ChaosStack, plan: Plan, tally: Tally): Promise<{ orders: number; keyViolations: number }> {
  const stamp = Date.now();
  const unique = plan.burst - plan.burstPairs;
  const requests: Purchase[] = Array.from({ length: plan.burst }, (_, i) => {
    const k = i < unique ? i : i - unique;
    return {
      idempotencyKey: `chaos-burst-${k}-${stamp}`,
      memberId: `MB${String(k).padStart(5, '0')}`,
      amountFen: AMOUNT_FEN,
      intent: 'LEAVE_UNPAID',
    };
  });
  await pool(requests, plan.burstConcurrency, async (purchase) => {
    await buy(stack, tally, purchase, Date.now() + 5 * 60_000);
  });
  const byKey = new Map<string, Set<string>>();
  for (const r of requests)
    if (r.orderNo) byKey.set(r.idempotencyKey, new Set([...(byKey.get(r.idempotencyKey) ?? []), r.orderNo]));
  const orderNos = [...byKey.values()].flatMap((s) => [...s]);
  const keyViolations =
    [...byKey.values()].filter((s) => s.size !== 1).length +
    (new Set(orderNos).size !== orderNos.length ? 1 : 0) +
    (unique - byKey.size);
  return { orders: new Set(orderNos).size, keyViolations };
}

async function main(): Promise<void> {
  const plan: Plan = process.argv.includes('--quick') ? PLANS.quick : PLANS.full;
  const started = Date.now();
  const dataDir = await mkdtemp(join(tmpdir(), 'xjp-chaos-'));
  // PostgreSQL runs as its own user when we are root: it must be able to enter the data's parent.
  await chmod(dataDir, 0o755);
  log(`plan ${JSON.stringify(plan)}; data in ${dataDir}`);
  const logDir = await mkdtemp(join(tmpdir(), 'xjp-chaos-logs-'));
  log(`API, worker and Temporal output in ${logDir}`);
  const stack = await startChaosStack(dataDir, logDir, PAYMENT_WINDOW_MINUTES);
  log(
    `stack up in ${Math.round((Date.now() - started) / 1000)} s: API ${stack.apiUrl}, Temporal ${stack.temporalAddress}`,
  );
  const tally = new Tally();
  const hostileTally = new Tally();
  try {
    const crash = await crashSafety(stack, plan, tally);
    const books = await checkBooks(stack, crash);
    log(
      `crash phase: ${JSON.stringify({ ...books, problems: books.problems.length })} restarts: worker ${stack.worker.restarts}, temporal ${stack.temporal.restarts}, api ${stack.api.restarts}`,
    );
    for (const problem of books.problems.slice(0, 20)) log(`  ${problem}`);

    const burstFigures = await burst(stack, plan, tally);
    log(`burst: ${burstFigures.orders} orders, ${burstFigures.keyViolations} Idempotency-Key violations`);

    const hostileSent = await hostileRequests(stack, hostileTally, plan.hostile, 16);
    log(`hostile: ${hostileSent} requests → ${hostileTally.summary()}`);

    const notified = await notificationAttacks(stack, tally, plan.notifiedOrders);
    log(`notifications: ${JSON.stringify(notified)}`);

    const after = await checkBooks(stack, crash);
    const seconds = Math.round((Date.now() - started) / 1000);
    log(`API answers (buying, under faults): ${tally.summary()}`);
    log(`took ${seconds} s`);
    const figures = {
      purchases: books.orders + burstFigures.orders,
      lost: after.lost,
      duplicate_subscriptions: after.duplicateSubscriptions,
      duplicate_payouts: after.duplicatePayouts,
      mismatched: after.mismatched + burstFigures.keyViolations,
      http5xx: tally.unexpected5xx + hostileTally.http5xx,
      hangs: tally.hangs + hostileTally.hangs,
      forged_accepted: notified.forgedAccepted,
      duplicate_effects: notified.duplicateEffects,
    };
    console.log(
      `chaos: ${Object.entries(figures)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
    const { purchases: _made, ...faultsFound } = figures;
    process.exitCode = Object.values(faultsFound).some((v) => v !== 0) ? 1 : 0;
  } finally {
    await stack.stop().catch((err: unknown) => log(`stop: ${String(err)}`));
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

main().then(
  // Exits with the figures' verdict even if a killed server left a socket or timer behind.
  () => process.exit(),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);

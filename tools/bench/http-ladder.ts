/**
 * The HTTP ladder: every rung at concurrency 1, 8 and 32 on the same dev server in the same run,
 * interleaved by concurrency (all rungs at 1, then all at 8, …) so each comparison is close in
 * time, and the ratio of POST /v1/purchases p99 to the bare update-with-start p99 at each.
 */
import { cpuPer, cpuSpent, type CpuMs } from './cpu-probe';
import type { BenchStack } from './dev-stack';
import { LoadDriver, type LoadResult, type LoadSpec } from './load/load';
import { CONCURRENCIES, type BenchOptions, type Concurrency } from './options';
import { LADDER_AMOUNT_FEN, LADDER_PRODUCT_ID, preparePurchase, preparePurchases } from './purchase-requests';
import { RUNGS, startRungServers, type Rung } from './http-rungs';
import { round } from './stats';

/** One load run, with the CPU each part of the stack spent on it per 2xx request (ms). */
export interface RungRun extends LoadResult {
  readonly cpuMsPerRequest: CpuMs;
}

export interface RungResult {
  readonly rung: Rung;
  /** One load run per concurrency, in {@link CONCURRENCIES} order. */
  readonly runs: readonly RungRun[];
}

export interface HttpRatio {
  readonly concurrency: Concurrency;
  readonly purchaseP99Ms: number;
  readonly updateWithStartP99Ms: number;
  /** POST /v1/purchases p99 ÷ update-with-start p99 (the target: ≤ 1.5). */
  readonly ratio: number;
}

export interface HttpLadderResult {
  readonly productId: string;
  readonly amountFen: number;
  readonly concurrencies: readonly Concurrency[];
  readonly rungs: readonly RungResult[];
  readonly ratios: readonly HttpRatio[];
}

/** Runs the whole ladder on `stack`. */
export async function runHttpLadder(
  stack: BenchStack,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<HttpLadderResult> {
  const { servers, drainStarted } = await startRungServers(stack.bareClient);
  const driver = new LoadDriver();
  try {
    // The baselines get a purchase's headers and body too, so every rung reads the same bytes.
    const sample = await preparePurchase('M20000');
    const urls: Record<Rung, string> = {
      'node:http': servers['node:http'].url,
      express: servers.express.url,
      'workflow.start': servers['workflow.start'].url,
      'update-with-start': servers['update-with-start'].url,
      'POST /v1/purchases': `${stack.engine.apiUrl}/v1/purchases`,
    };
    const spec = async (rung: Rung, concurrency: number, amount: number): Promise<LoadSpec> => {
      const base = { url: urls[rung], method: 'POST' as const, concurrency, amount };
      if (rung !== 'POST /v1/purchases') return { ...base, headers: sample.headers, body: sample.body };
      // Minted just before the run: a member token lives 5 minutes.
      return { ...base, perRequest: await preparePurchases(amount + concurrency) };
    };
    const amountFor = (rung: Rung, c: Concurrency): number => {
      if (rung === 'POST /v1/purchases') return options.http.purchase[c];
      if (rung === 'workflow.start' || rung === 'update-with-start') return options.http.temporal[c];
      return options.http.bare[c];
    };

    for (const rung of RUNGS) {
      const warm = await driver.run(await spec(rung, 8, options.http.warmUp));
      await drainStarted();
      log(`  warm-up ${rung}: ${warm.ok}/${warm.requests} ok, p50 ${warm.p50Ms} ms`);
    }
    const runs = new Map<Rung, RungRun[]>(RUNGS.map((r) => [r, []]));
    for (const c of CONCURRENCIES) {
      for (const rung of RUNGS) {
        const load = await spec(rung, c, amountFor(rung, c));
        const before = stack.cpu.snapshot();
        const measured = await driver.run(load);
        // Drained before the CPU is read: the started runs' workflow tasks are the rung's cost too.
        await drainStarted();
        const spent = cpuSpent(before, stack.cpu.snapshot());
        const result: RungRun = { ...measured, cpuMsPerRequest: cpuPer(spent, measured.ok) };
        runs.get(rung)?.push(result);
        log(
          `  c=${c} ${rung}: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.reqPerSec} req/s` +
            (result.failed > 0 ? `, ${result.failed} failed ${JSON.stringify(result.statuses)}` : ''),
        );
      }
    }
    const rungs = RUNGS.map((rung) => ({ rung, runs: runs.get(rung) ?? [] }));
    const at = (rung: Rung, i: number): RungRun => {
      const result = runs.get(rung)?.[i];
      if (result === undefined) throw new Error(`no ${rung} run at concurrency ${CONCURRENCIES[i]}`);
      return result;
    };
    const ratios = CONCURRENCIES.map((concurrency, i) => {
      const purchaseP99Ms = at('POST /v1/purchases', i).p99Ms;
      const updateWithStartP99Ms = at('update-with-start', i).p99Ms;
      return {
        concurrency,
        purchaseP99Ms,
        updateWithStartP99Ms,
        ratio: round(purchaseP99Ms / updateWithStartP99Ms, 2),
      };
    });
    return {
      productId: LADDER_PRODUCT_ID,
      amountFen: LADDER_AMOUNT_FEN,
      concurrencies: CONCURRENCIES,
      rungs,
      ratios,
    };
  } finally {
    await driver.close();
    await Promise.all(Object.values(servers).map((s) => s.close()));
  }
}

/**
 * `npm run bench:accrual`: the ladder's accrual-at-scale rung alone, on its own CLI dev server and
 * engine, for a ramp longer than the full ladder's budget allows (BENCH_ACCRUAL_BUDGET_S, default
 * 1,800 s; BENCH_ACCRUAL_MAX_ORDERS, default 10,000). The table goes to stdout, everything to
 * .cache/bench/accrual.json (BENCH_RESULTS_PATH names another file).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { z } from 'zod';
import { runAccrualScale, startAccrualWorker } from './accrual-scale';
import { startBenchStack } from './dev-stack';
import { benchOptions } from './options';
import { accrualScaleLines } from './report';
import { round } from './stats';

const env = z
  .object({
    BENCH_ACCRUAL_BUDGET_S: z.coerce.number().int().min(10).default(1_800),
    BENCH_ACCRUAL_MAX_ORDERS: z.coerce.number().int().min(1).default(10_000),
    BENCH_RESULTS_PATH: z.string().default(path.join(__dirname, '../../.cache/bench/accrual.json')),
  })
  .parse(process.env);

async function main(): Promise<void> {
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
  });
  const started = performance.now();
  const log = (line: string) =>
    process.stderr.write(`${String(round((performance.now() - started) / 1000, 0)).padStart(5)} s ${line}\n`);
  const options = {
    ...benchOptions().accrual,
    budgetMs: env.BENCH_ACCRUAL_BUDGET_S * 1000,
    maxOrders: env.BENCH_ACCRUAL_MAX_ORDERS,
  };
  log('starting the CLI dev server, PostgreSQL, the simulators, the API and the accrual worker…');
  const stack = await startBenchStack();
  const worker = startAccrualWorker(stack);
  worker.catch(() => undefined);
  try {
    const scale = await runAccrualScale(stack, worker, options, log);
    process.stdout.write(`\n${accrualScaleLines(scale).join('\n')}\n`);
    const file = path.resolve(env.BENCH_RESULTS_PATH);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify({ at: new Date().toISOString(), options, scale }, null, 2)}\n`);
    log(`results: ${path.relative(process.cwd(), file)}`);
  } finally {
    await worker.then((w) => w.stop()).catch(() => undefined);
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});

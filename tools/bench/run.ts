/**
 * `npm run bench`: the benchmark ladder (tools/bench/ladder.ts), every rung against a baseline
 * measured in the same run. The tables go to stdout, progress to stderr, everything to
 * .cache/bench/latest.json (BENCH_RESULTS_PATH names another file). BENCH_QUICK=1 runs the small
 * version (seconds per rung); BENCH_RUNS sets the workflow-overhead pairs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { runLadder } from './ladder';
import { benchOptions } from './options';
import { reportLines } from './report';
import { round } from './stats';

const RESULTS_PATH = path.resolve(
  process.env.BENCH_RESULTS_PATH ?? path.join(__dirname, '../../.cache/bench/latest.json'),
);

async function main(): Promise<void> {
  // Worker lifecycle lines would bury the table: warnings and errors only, from the SDK and its core.
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
  });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const result = await runLadder(benchOptions(), log);
  process.stdout.write(`\n${reportLines(result).join('\n')}\n`);
  await mkdir(path.dirname(RESULTS_PATH), { recursive: true });
  await writeFile(RESULTS_PATH, `${JSON.stringify(result, null, 2)}\n`);
  log(`results: ${path.relative(process.cwd(), RESULTS_PATH)} (total ${round(result.totalMs / 1000, 1)} s)`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});

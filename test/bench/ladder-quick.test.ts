/**
 * The quick benchmark ladder (`BENCH_QUICK=1 npm run bench`) runs whole in CI so it never rots. Its
 * figures are never compared with a threshold (they depend on the machine and its load): only the
 * shape is checked — every rung present, every figure a finite number, each ratio computed from
 * the figures of the same run.
 */
import { RUNGS } from '../../tools/bench/http-rungs';
import { runLadder, type LadderResult } from '../../tools/bench/ladder';
import { benchOptions, CONCURRENCIES } from '../../tools/bench/options';
import { reportLines } from '../../tools/bench/report';

let result: LadderResult;

beforeAll(async () => {
  result = await runLadder(benchOptions({ BENCH_QUICK: '1' }), () => undefined);
}, 300_000);

/** Paths of every number in `value` that is not finite (NaN, ±Infinity). */
function nonFinite(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFinite(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
  return [];
}

test('every figure of the ladder is a finite number', () => {
  expect(result.quick).toBe(true);
  expect(nonFinite(result)).toEqual([]);
});

test('every HTTP rung ran at concurrency 1, 8 and 32 and had answers to measure', () => {
  expect(result.http.rungs.map((r) => r.rung)).toEqual([...RUNGS]);
  for (const rung of result.http.rungs) {
    expect(rung.runs.map((run) => run.concurrency)).toEqual([...CONCURRENCIES]);
    for (const run of rung.runs) {
      expect(run.ok).toBeGreaterThan(0);
      expect(run.ok + run.failed).toBe(run.requests);
      expect(run.p99Ms).toBeGreaterThanOrEqual(run.p50Ms);
      expect(run.reqPerSec).toBeGreaterThan(0);
    }
  }
});

test('the POST ÷ update-with-start ratios are those of the p99s measured in the same run', () => {
  const p99s = (rung: string) => result.http.rungs.find((r) => r.rung === rung)?.runs.map((run) => run.p99Ms);
  const purchase = p99s('POST /v1/purchases');
  const updateWithStart = p99s('update-with-start');
  expect(result.http.ratios.map((r) => r.concurrency)).toEqual([...CONCURRENCIES]);
  result.http.ratios.forEach((ratio, i) => {
    expect(ratio.purchaseP99Ms).toBe(purchase?.[i]);
    expect(ratio.updateWithStartP99Ms).toBe(updateWithStart?.[i]);
    expect(ratio.ratio).toBeCloseTo(ratio.purchaseP99Ms / ratio.updateWithStartP99Ms, 2);
  });
});

test('a POST is taken apart into steps from its own history', () => {
  const b = result.purchaseBreakdown;
  expect(b.probes).toBeGreaterThan(0);
  expect(b.activitiesBeforeAnswer).toBeGreaterThan(0);
  expect(b.workflowTasksBeforeAnswer).toBeGreaterThan(0);
  expect(b.totalMs).toBeGreaterThan(0);
});

test('end to end compares purchases with a bare workflow of as many activities, in the same run', () => {
  const e2e = result.endToEnd;
  expect(e2e.activitiesPerPurchase).toBeGreaterThan(0);
  expect(e2e.purchasesPerSec).toBeGreaterThan(0);
  expect(e2e.bareWorkflowsPerSec).toBeGreaterThan(0);
  expect(e2e.ratio).toBeCloseTo(e2e.purchasesPerSec / e2e.bareWorkflowsPerSec, 1);
});

test('accrual scale ramps orders on a worker process, reading its memory at each step', () => {
  const scale = result.accrualScale;
  expect(scale.steps.length).toBeGreaterThan(0);
  expect(scale.orders).toBe(scale.steps.at(-1)?.orders);
  expect(scale.baselineRssMiB).toBeGreaterThan(0);
  expect(scale.eventsPerAccruingRun).toBeGreaterThan(0);
  expect(scale.night.posted).toBe(scale.orders);
  expect(scale.orderDaysPerSec).toBeGreaterThan(0);
});

test("a whole order's history is counted run by run, with its events per accrual day", () => {
  const history = result.accrualHistory;
  expect(history.runs.length).toBeGreaterThan(0);
  expect(history.runs.reduce((sum, r) => sum + r.settlements, 0)).toBe(1);
  expect(history.totalEvents).toBe(history.runs.reduce((sum, r) => sum + r.events, 0));
  expect(history.eventsPerOrderDay).toBeGreaterThan(0);
});

test('the earlier rows are kept, and each target of issue 12 gets a verdict', () => {
  expect(result.workflowOverhead.pairs).toHaveLength(1);
  expect(result.interest.ratio).toBeGreaterThan(0);
  expect(result.targets).toHaveLength(5);
  const lines = reportLines(result);
  for (const rung of RUNGS) expect(lines.some((line) => line.startsWith(`| ${rung} `))).toBe(true);
});

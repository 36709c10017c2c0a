/**
 * A demand holding over 400 days on the time-skipping server, through the real worker, XJP's and
 * LianLian's simulators over HTTP and PostgreSQL: money in (paid at the cashier) before and after the cut-off and on days off, fast
 * and standard redemptions, refusals, a worker restart mid-day, the run continued as new, every
 * income row against XJP's statements and against a recomputation in decimal arithmetic.
 */
import type { temporal } from '@temporalio/proto';
import Decimal from 'decimal.js';
import { DemandIncomeSchema, DemandMovementSchema } from '../../../src/db/entities/demand';
import { addDays, shanghaiDate, shanghaiMidnight } from '../../../src/domain/calendar';
import { DEMAND_HOLIDAYS, nextBusinessDay } from '../../../src/domain/demand/business-days';
import { demandWorkflows } from '../../../src/api/demand/demand-workflows';
import { PURCHASE_TASK_QUEUE } from '../../../workflows/purchase/contract';
import { demandWorkflowId, type DemandHoldingInput } from '../../../workflows/demand/contract';
import { simDemandFigure } from '../../../tools/sim/xjp/demand/product';
import { useTestEngine } from '../../../tools/testing/engine';
import { payAtCashier } from '../../../tools/testing/purchases';
import { waitForState } from '../../../tools/testing/wait';

// The first worker caches no run, so the restart below replays from history, as a crashed worker's successor does.
// Every task of the uncached worker replays its run's history, so the restart comes early (day 45, mid-run):
// the rest of the 400 days runs on the cached worker.
const running = useTestEngine({ restartableWorker: true });

const PRODUCT = 'XJPHQ01';
const HOUR_MS = 3600 * 1000;
const DAYS = 400;
const SEED = 20_261_207;
const RESTART_DAY = 45;

/** A small seeded generator (mulberry32): the same holding on every run of the test. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Moves the test server's clock to `hour` o'clock Shanghai on `date` in one measured step. */
async function skipTo(date: string, hour: number): Promise<void> {
  const target = shanghaiMidnight(date).getTime() + hour * HOUR_MS;
  const now = await running.env.currentTimeMs();
  if (target > now) await running.env.sleep(target - now);
}

interface Movement {
  amountFen: number;
  /** Subscriptions: the first earning day; redemptions: the first day without the units. */
  from: string;
  sign: 1 | -1;
}

/** The test's own ledger: units × income per 10,000 ÷ 10,000 in decimal.js, floored to the fen, reinvested. */
function recompute(
  movements: Movement[],
  from: string,
  through: string,
): Map<string, { units: number; income: number }> {
  const days = new Map<string, { units: number; income: number }>();
  let units = new Decimal(0);
  for (let date = from; date <= through; date = addDays(date, 1)) {
    for (const m of movements) if (m.from === date) units = units.plus(m.amountFen * m.sign);
    const income = units
      .times(new Decimal(simDemandFigure(date).incomePer10kFen))
      .dividedBy(10_000)
      .floor();
    days.set(date, { units: units.toNumber(), income: income.toNumber() });
    units = units.plus(income);
  }
  return days;
}

test(
  '400 days of a demand holding: every income row matches XJP’s statement and an independent recomputation, the run continues as new under the event limit, and a restart mid-day loses nothing',
  async () => {
    const { engine, env } = running;
    const random = seeded(SEED);
    const memberId = `HQ${SEED}`;
    const account = await engine.apiDependencies.xjp.openAccount({
      requestId: `open-${memberId}`,
      channel: 'APP',
      memberId,
      name: '活期测试',
      mobile: '13800138000',
      idCardNo: '11010519491231002X',
      email: 'hq@example.com',
    });
    const product = await engine.apiDependencies.xjp.demand.getProduct({ productCode: PRODUCT });
    const input: Omit<DemandHoldingInput, 'carried'> = {
      memberId,
      productCode: PRODUCT,
      accountNo: account.accountNo,
      terms: {
        minAmountFen: product.minAmountFen,
        holdingCapFen: product.holdingCapFen,
        fastRedemptionDailyLimitFen: product.fastRedemptionDailyLimitFen,
      },
    };
    const workflows = demandWorkflows(engine.client, PURCHASE_TASK_QUEUE);
    const workflowId = demandWorkflowId(memberId, PRODUCT);
    const movements: Movement[] = [];
    let sequence = 0;
    // Money in as a member brings it: placed, paid at LianLian's cashier, counted once XJP's notification is taken up.
    const subscribe = async (amountFen: number): Promise<string> => {
      const subscriptionId = `hqs-${++sequence}`;
      const answer = await workflows.subscribe(input, { subscriptionId, amountFen });
      await payAtCashier(answer.paymentUrl);
      // Read from the movement row the run writes when it applies the payment: a query would replay the
      // uncached first worker's history on every poll.
      const confirmed = await waitForState(
        () => engine.db.orm.em.fork().findOne(DemandMovementSchema, { id: subscriptionId }),
        (row) => row !== null,
      );
      const countsFrom = confirmed?.effectiveDate ?? '';
      movements.push({ amountFen, from: countsFrom, sign: 1 });
      return countsFrom;
    };
    const redeem = async (amountFen: number, kind: 'FAST' | 'STANDARD'): Promise<void> => {
      const answer = await workflows.redeem(memberId, PRODUCT, { redemptionId: `hqr-${++sequence}`, amountFen, kind });
      movements.push({ amountFen, from: answer.effectiveDate, sign: -1 });
    };
    const available = async (): Promise<number> => (await workflows.holding(memberId, PRODUCT))?.availableFen ?? 0;

    const firstDay = shanghaiDate(new Date(await env.currentTimeMs()));
    await skipTo(firstDay, 10);
    await subscribe(6_000_000);
    const firstRunId = (await engine.client.workflow.getHandle(workflowId).describe()).runId;
    // Nothing is confirmed on the day of the first subscription: any redemption is above the available units.
    await expect(redeem(1, 'FAST')).rejects.toMatchObject({ status: 409, code: 'DEMAND_INSUFFICIENT_UNITS' });
    let refusalsChecked = false;
    let restarted = false;
    const kinds = { before: 0, after: 0, daysOff: 0, holidays: 0, fast: 0, standard: 0 };

    for (let index = 1; index <= DAYS; index++) {
      const day = addDays(firstDay, index);
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      const dayOff = weekday === 0 || weekday === 6;
      await skipTo(day, 10);
      if (!refusalsChecked && (await available()) > product.fastRedemptionDailyLimitFen) {
        const over = product.fastRedemptionDailyLimitFen + 1;
        await expect(redeem(over, 'FAST')).rejects.toMatchObject({ status: 409, code: 'DEMAND_FAST_LIMIT_EXCEEDED' });
        await expect(redeem((await available()) + 1, 'STANDARD')).rejects.toMatchObject({
          code: 'DEMAND_INSUFFICIENT_UNITS',
        });
        refusalsChecked = true;
      }
      const morning = random();
      if (DEMAND_HOLIDAYS.has(day) && !dayOff) {
        // A weekday holiday: the trade date is the next business day, and the money counts from the one after.
        expect(await subscribe(50_000)).toBe(nextBusinessDay(nextBusinessDay(day)));
        kinds.holidays += 1;
      } else if (morning < 0.12) {
        await subscribe(100 + Math.floor(random() * 400_000));
        kinds[dayOff ? 'daysOff' : 'before'] += 1;
      } else if (morning < 0.22) {
        const amount = Math.min(Math.floor((random() * (await available())) / 4), product.fastRedemptionDailyLimitFen);
        if (amount > 0) {
          await redeem(amount, 'FAST');
          kinds.fast += 1;
        }
      }
      if (index === RESTART_DAY) {
        await skipTo(day, 12);
        await subscribe(250_000);
        await engine.restartWorker();
        restarted = true;
      }
      await skipTo(day, 16);
      const afternoon = random();
      if (afternoon < 0.12) {
        await subscribe(100 + Math.floor(random() * 400_000));
        kinds[dayOff ? 'daysOff' : 'after'] += 1;
      } else if (afternoon < 0.2) {
        const amount = Math.floor((random() * (await available())) / 4);
        if (amount > 0) {
          await redeem(amount, 'STANDARD');
          kinds.standard += 1;
        }
      }
    }
    const lastDay = addDays(firstDay, DAYS);
    await skipTo(addDays(lastDay, 1), 1);
    expect(restarted && refusalsChecked).toBe(true);
    expect(Math.min(...Object.values(kinds))).toBeGreaterThan(0);

    // The engine's rows: one per day from the first earning day through the last ended day.
    const holdingId = workflowId;
    const rows = await engine.db.orm.em
      .fork()
      .find(DemandIncomeSchema, { holding: holdingId }, { orderBy: { incomeDate: 'asc' } });
    const firstEarning = movements.map((m) => m.from).sort()[0] ?? lastDay;
    expect(rows[0]?.incomeDate).toBe(firstEarning);
    expect(rows.at(-1)?.incomeDate).toBe(lastDay);

    // XJP's statements, day by day, and the independent recomputation agree with every row.
    const expected = recompute(movements, firstEarning, lastDay);
    let statementIncome = 0;
    for (let date = firstEarning; date <= lastDay; date = addDays(date, 1)) {
      const statement = await engine.apiDependencies.xjp.demand.dailyStatement({ businessDate: date });
      const line = statement.income.find((l) => l.accountNo === account.accountNo);
      statementIncome += line?.incomeFen ?? 0;
      const row = rows.find((r) => r.incomeDate === date);
      const mine = expected.get(date);
      expect({ date, units: row?.unitsFen ?? 0, income: row?.incomeFen ?? 0 }).toEqual({
        date,
        units: line?.unitsFen ?? 0,
        income: line?.incomeFen ?? 0,
      });
      expect({ date, units: mine?.units, income: mine?.income }).toEqual({
        date,
        units: line?.unitsFen ?? 0,
        income: line?.incomeFen ?? 0,
      });
    }
    const engineIncome = rows.reduce((sum, r) => sum + r.incomeFen, 0);
    expect(engineIncome).toBe(statementIncome);
    expect(engineIncome).toBeGreaterThan(0);

    // The runs: continued as new about every 30 days, each history far below the event limit.
    const lengths: number[] = [];
    let runId: string | undefined = firstRunId;
    while (runId !== undefined) {
      const history: temporal.api.history.v1.IHistory = await engine.client.workflow
        .getHandle(workflowId, runId)
        .fetchHistory();
      const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
      lengths.push(events.length);
      runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    expect(lengths.length).toBeGreaterThanOrEqual(Math.floor(DAYS / 30));
    expect(Math.max(...lengths)).toBeLessThan(2_000);
  },
  30 * 60 * 1000,
);

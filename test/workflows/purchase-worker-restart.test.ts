import { InterestAccrualSchema } from '../../src/db/entities/interest-accrual';
import { addDays, shanghaiDate } from '../../src/domain/calendar';
import { interestForDays } from '../../src/domain/interest';
import { parseAnnualRate } from '../../src/domain/rate';
import { purchaseStateQuery, purchaseWorkflowId } from '../../workflows/purchase/contract';
import { postAccrualNights } from '../../tools/testing/accrual-nights';
import { useTestEngine } from '../../tools/testing/engine';
import { buy, payAtCashier, purchaseBody } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

// The restarted worker starts with an empty workflow cache, so its first task replays the run's whole history.
const running = useTestEngine({ restartableWorker: true });

test('a worker restarted in the middle of accrual leaves no gap and no double posting: the batch’s days and the maturity catch-up make 90 rows summing to the maturity interest', async () => {
  const amountFen = 2_000_000;
  const maturityInterest = interestForDays(amountFen, parseAnnualRate('0.0380'), 90, 365);
  const created = await buy(running.engine, purchaseBody('XJP-P-0002', amountFen));
  expect(created.status).toBe(201);
  const orderNo = created.body.orderNo as string;
  await payAtCashier(created.body.paymentUrl as string);
  const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  const { interestStartDate } = await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.status === 'ACCRUING',
  );

  // A month of nights: the batch (run here, the test server having no Schedules) posts the ended days.
  await running.env.sleep('30 days');
  const today = shanghaiDate(new Date(await running.env.currentTimeMs()));
  await postAccrualNights(running.engine, interestStartDate ?? today, addDays(today, -1));
  const rowsBefore = await running.engine.db.orm.em.fork().count(InterestAccrualSchema, { order: { orderNo } });
  expect(rowsBefore).toBeGreaterThan(0);
  expect(rowsBefore).toBeLessThan(90);

  await running.engine.restartWorker();

  // A bounded skip past maturity (day 90 + T+1), then real time for the payout: the simulators run on
  // real time, so an unbounded skip would race the payout run's timers past LianLian's answer.
  await running.env.sleep('62 days');
  const final = await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.status === 'MATURED' || s.status === 'COMPLETED',
  );
  expect(final.accruedInterestFen).toBe(maturityInterest);
  const rows = await running.engine.db.orm.em
    .fork()
    .find(InterestAccrualSchema, { order: { orderNo } }, { orderBy: { accrualDate: 'asc' } });
  expect(rows.map((r) => r.dayIndex)).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
  expect(rows.reduce((sum, r) => sum + r.amountFen, 0)).toBe(maturityInterest);
}, 180_000);

import { InterestAccrualSchema } from '../../src/db/entities/interest-accrual';
import { PayoutSchema } from '../../src/db/entities/payout';
import { interestForDays } from '../../src/domain/interest';
import { parseAnnualRate } from '../../src/domain/rate';
import { purchaseStateQuery, purchaseWorkflowId, type PurchaseState } from '../../workflows/purchase/contract';
import { useTestEngine } from '../../tools/testing/engine';
import { buy, payAtCashier, purchaseBody, simState } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const running = useTestEngine();

test('a 90-day purchase runs from order to COMPLETED: 90 ledger rows summing to the maturity interest, one payout of principal + interest less the product’s 10 % service fee', async () => {
  const amountFen = 1_000_000;
  const expectedInterest = interestForDays(amountFen, parseAnnualRate('0.0380'), 90, 365);
  // XJP-P-0002 charges 1 000 bp of the interest as its service fee (9 370 → 937).
  const serviceFeeFen = 937;
  expect(expectedInterest).toBe(9370);

  const created = await buy(running.engine, purchaseBody('XJP-P-0002', amountFen));
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ status: 'SUBSCRIBED', expectedInterestFen: expectedInterest });
  const orderNo = created.body.orderNo as string;

  await payAtCashier(created.body.paymentUrl as string);
  const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.status === 'ACCRUING',
  );

  const final: PurchaseState = await running.env.client.workflow.getHandle(purchaseWorkflowId(orderNo)).result();
  expect(final.status).toBe('COMPLETED');
  expect(final.accruedInterestFen).toBe(expectedInterest);
  expect(final.serviceFeeFen).toBe(serviceFeeFen);

  const em = running.engine.db.orm.em.fork();
  const accruals = await em.find(InterestAccrualSchema, { order: { orderNo } }, { orderBy: { accrualDate: 'asc' } });
  expect(accruals).toHaveLength(90);
  expect(accruals.reduce((sum, a) => sum + a.amountFen, 0)).toBe(expectedInterest);
  expect(accruals.every((a) => a.amountFen >= 0)).toBe(true);

  const payouts = await em.find(PayoutSchema, { order: { orderNo } });
  expect(payouts).toHaveLength(1);
  expect(payouts[0]).toMatchObject({
    status: 'SUCCESS',
    principalFen: amountFen,
    interestFen: expectedInterest,
    deductionsFen: serviceFeeFen,
    totalFen: amountFen + expectedInterest - serviceFeeFen,
  });

  const lianlian = await simState<{ payouts: Array<{ noOrder?: string; no_order?: string }> }>(
    running.engine.lianlianUrl,
  );
  expect(lianlian.payouts).toHaveLength(1);
});

/**
 * The nightly accrual batch on the real stack (time-skipping server, PostgreSQL, simulators): it posts
 * an ended day for an accruing order with the per-order figures, refuses a day not yet ended, and the
 * purchase run's settlement at maturity posts only the days the batch did not, leaving its rows as they are.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { addDays, shanghaiDate, shanghaiMidnight } from '../../../src/domain/calendar';
import { listAccruals } from '../../../src/db/repositories/accruals';
import { ledgerDays } from '../../../src/domain/interest';
import { rateFromMicros } from '../../../src/domain/rate';
import { PurchaseOrderSchema } from '../../../src/db/entities/purchase-order';
import { ACCRUAL_POSTING_WORKFLOW_TYPE } from '../../../workflows/accrual/contract';
import type { accrualPostingWorkflow } from '../../../workflows/accrual/workflow';
import { PURCHASE_TASK_QUEUE, purchaseStateQuery, purchaseWorkflowId } from '../../../workflows/purchase/contract';
import { useTestEngine } from '../../../tools/testing/engine';
import { buy, payAtCashier, purchaseBody } from '../../../tools/testing/purchases';
import { waitForState } from '../../../tools/testing/wait';

const running = useTestEngine();

function postDay(accrualDate?: string) {
  return running.engine.client.workflow.execute<typeof accrualPostingWorkflow>(ACCRUAL_POSTING_WORKFLOW_TYPE, {
    taskQueue: PURCHASE_TASK_QUEUE,
    workflowId: `accrual-posting-${randomUUID()}`,
    args: [accrualDate === undefined ? {} : { accrualDate }],
  });
}

test('the batch posts ended days with the per-order figures, refuses a day not ended, and maturity settles only the rest', async () => {
  const amountFen = 1_000_000;
  const created = await buy(running.engine, purchaseBody('XJP-P-0002', amountFen));
  expect(created.status).toBe(201);
  const orderNo = created.body.orderNo as string;
  await payAtCashier(created.body.paymentUrl as string);
  const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  const accruing = await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.status === 'ACCRUING',
  );
  const start = accruing.interestStartDate!;
  const maturity = accruing.maturityDate!;
  const order = await running.engine.db.orm.em.fork().findOneOrFail(PurchaseOrderSchema, { orderNo });
  const expected = ledgerDays({
    principalFen: amountFen,
    annualRate: rateFromMicros(order.annualRateMicros),
    basis: order.dayCountBasis,
    interestStartDate: start,
    maturityDate: maturity,
  });

  const notEnded = postDay(start);
  await expect(notEnded).rejects.toBeInstanceOf(WorkflowFailedError);
  await expect(notEnded).rejects.toMatchObject({ cause: { cause: { type: 'ACCRUAL_DAY_NOT_ENDED' } } });

  // Three days pass: the batch's own default (no date) posts the third, an operator re-posts the first two.
  await running.env.sleep(shanghaiMidnight(addDays(start, 3)).getTime() - (await running.env.currentTimeMs()) + 60_000);
  expect(shanghaiDate(new Date(await running.env.currentTimeMs()))).toBe(addDays(start, 3));
  expect(await postDay()).toMatchObject({ accrualDate: addDays(start, 2), posted: 1 });
  await postDay(start);
  await postDay(addDays(start, 1));
  expect(await postDay(start)).toMatchObject({ posted: 0 });
  const batchRows = await listAccruals(running.engine.db.orm.em.fork(), orderNo);
  expect(batchRows.map((r) => r.dayIndex)).toEqual([1, 2, 3]);

  await running.env.sleep(shanghaiMidnight(maturity).getTime() - (await running.env.currentTimeMs()) + 60_000);
  const final = await running.env.client.workflow.getHandle(purchaseWorkflowId(orderNo)).result();

  const rows = await listAccruals(running.engine.db.orm.em.fork(), orderNo);
  expect(final.status).toBe('COMPLETED');
  expect(rows.slice(0, 3).map((r) => r.id)).toEqual(batchRows.map((r) => r.id));
  expect(rows.map((r) => [r.accrualDate, r.dayIndex, r.amountFen, r.cumulativeFen])).toEqual(
    expected.map((d) => [d.date, d.dayNumber, d.amountFen, d.cumulativeFen]),
  );
  expect(final.accruedInterestFen).toBe(expected.at(-1)?.cumulativeFen);
});

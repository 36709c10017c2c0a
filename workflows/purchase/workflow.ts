/**
 * The purchase lifecycle of one 小金票 order, as a short sequence of named steps (docs/domain.md#the-purchase-flow):
 * subscribe → await payment → start accrual → sleep to maturity, settle the ledger → mature (redeem) → pay out;
 * or, when the investor confirms an early redemption before maturity, redeem early → pay out. At maturity the
 * investor's maturity instruction may reinvest part or all of the money into a new order (续投) first.
 * Each step takes what it needs and returns what the next one needs; the run's state lives in
 * `PurchaseRun`. Deterministic: every side effect is an activity; `new Date()` here is workflow time.
 */
import { executeChild } from '@temporalio/workflow';
import { type PayoutInput, payoutTotalFen, payoutWorkflowId } from '../payout/contract';
import { payoutWorkflow } from '../payout/workflow';
import { searchAttributes } from '../shared/search-attributes';
import { accrue, startAccrual } from './accrual';
import type { AccruingOrder, PurchaseInput, PurchaseState } from './contract';
import { EarlyRedemptionDesk } from './early-redemption';
import { mature } from './maturity';
import { awaitPayment, fundedByReinvestment } from './payment';
import { reinvest } from './reinvestment';
import { PurchaseRun } from './run';
import { chargeServiceFee } from './service-fee';
import { subscribe } from './subscribe';

/** The purchase workflow. `started` is set for a run that starts at the accrual stage (an order already ACCRUING). */
export async function purchaseWorkflow(input: PurchaseInput, started?: AccruingOrder): Promise<PurchaseState> {
  const run = new PurchaseRun(input, started);
  const earlyRedemption = new EarlyRedemptionDesk(run);
  const accruing = started ?? (await untilAccruing(run));
  if (accruing === undefined) return run.state;
  const ending = await earlyRedemption.accrueUnlessRedeemed(accruing, () => accrue(run, accruing));
  if (ending.kind === 'EARLY') {
    const { interestFen, serviceFeeFen, penaltyFen } = ending;
    await payout(run, {
      orderNo: input.orderNo,
      principalFen: input.amountFen,
      interestFen,
      serviceFeeFen,
      penaltyFen,
    });
    return run.state;
  }
  await mature(run, accruing.xjpOrderNo);
  const serviceFeeFen = await chargeServiceFee(run, ending.interestFen);
  const reinvestedFen = await reinvest(run, ending.interestFen, serviceFeeFen);
  const payoutInput: PayoutInput = {
    orderNo: input.orderNo,
    principalFen: input.amountFen,
    interestFen: ending.interestFen,
    ...(serviceFeeFen > 0 ? { serviceFeeFen } : {}),
    ...(reinvestedFen > 0 ? { reinvestedFen } : {}),
  };
  if (payoutTotalFen(payoutInput) === 0) {
    await run.moveTo('COMPLETED', 'REINVESTED', 'SYSTEM', { detail: { nextOrderNo: run.state.nextOrderNo } });
    return run.state;
  }
  await payout(run, payoutInput);
  return run.state;
}

/** From a new order to ACCRUING; undefined when it ended before (refused, unpaid, cancelled). */
async function untilAccruing(run: PurchaseRun): Promise<AccruingOrder | undefined> {
  const subscription = await subscribe(run);
  if (subscription === undefined) return undefined;
  // A reinvested order's money is the redeemed funds of the order before it: no cashier payment to wait for.
  const payment =
    run.input.reinvestmentOf === undefined
      ? await awaitPayment(run, subscription)
      : await fundedByReinvestment(run, subscription, run.input.reinvestmentOf.orderNo);
  if (payment === undefined) return undefined;
  const accrual = await startAccrual(run, payment.paidAt, subscription);
  return { xjpOrderNo: subscription.xjpOrderNo, accrual };
}

/**
 * Pays principal + ledger interest, less the service fee and any early-redemption fee on principal,
 * out to the investor's card: the payout is its own child workflow, which moves the order from
 * MATURED on; its result is how the order ended.
 */
async function payout(run: PurchaseRun, payoutInput: PayoutInput): Promise<void> {
  const { orderNo } = run.input;
  run.waitFor('PAYOUT');
  const result = await executeChild(payoutWorkflow, {
    workflowId: payoutWorkflowId(orderNo),
    args: [payoutInput],
    typedSearchAttributes: [
      { key: searchAttributes.orderNo, value: orderNo },
      { key: searchAttributes.status, value: run.state.status },
    ],
    staticSummary: `Payout of order ${orderNo}`,
  });
  run.completedBy(result);
}

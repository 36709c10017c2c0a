/**
 * The reinvestment step (续投), after XJP's redemption at maturity: the investor's maturity
 * instruction says how much of the redeemed money buys a new order. The new order is its own
 * purchase run, started by an activity (docs/domain.md, "Reinvestment at maturity"); this run only
 * learns whether XJP subscribed it, and pays out whatever was not reinvested.
 */
import { reinvestment } from './activity-options';
import type { PurchaseRun } from './run';

/**
 * Reinvests as instructed and answers the fen that went into the new order (kept back from the
 * payout); a product no longer on sale or a subscription XJP refuses falls back to paying
 * everything out (0), the reason recorded on the order. The new order takes the most the
 * product's minimum and step allow; the rest is paid out.
 */
export async function reinvest(run: PurchaseRun, interestFen: number, serviceFeeFen: number): Promise<number> {
  const { input, state } = run;
  const instruction = state.maturityInstruction;
  if (instruction.kind === 'PAYOUT') return 0;
  // The service fee is kept from the interest: only the interest left after it can be reinvested.
  const availableFen = input.amountFen + (instruction.kind === 'REINVEST_ALL' ? interestFen - serviceFeeFen : 0);
  const outcome = await reinvestment.startReinvestment({
    orderNo: input.orderNo,
    productId: instruction.productId ?? input.product.terms.productId,
    availableFen,
    instruction: instruction.kind,
  });
  if (outcome.outcome === 'REFUSED') {
    state.reinvestmentRefusal = outcome.reasonCode;
    return 0;
  }
  state.nextOrderNo = outcome.nextOrderNo;
  return outcome.amountFen;
}

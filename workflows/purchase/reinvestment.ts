/**
 * The reinvestment step (续投), after XJP's redemption at maturity: the investor's maturity
 * instruction says how much of the redeemed money buys a new order. The new order is its own
 * purchase run, started by an activity (docs/domain.md#reinvestment-at-maturity); this run only
 * learns whether it was subscribed, and pays out whatever was not reinvested.
 */
import { reinvestment } from './activity-options';
import type { PurchaseRun } from './run';

/** The part of the redemption that went into the new order, kept back from the payout. */
export interface Reinvested {
  principalFen: number;
  interestFen: number;
}

const NOTHING: Reinvested = { principalFen: 0, interestFen: 0 };

/**
 * Reinvests as instructed; a product no longer on sale or a subscription XJP refuses falls back to
 * paying everything out, the reason recorded on the order.
 */
export async function reinvest(run: PurchaseRun, interestFen: number, serviceFeeFen: number): Promise<Reinvested> {
  const { input, state } = run;
  const instruction = state.maturityInstruction;
  if (instruction.kind === 'PAYOUT') return NOTHING;
  // The service fee is kept from the interest, so only the interest left after it can be reinvested.
  const reinvested: Reinvested = {
    principalFen: input.amountFen,
    interestFen: instruction.kind === 'REINVEST_ALL' ? interestFen - serviceFeeFen : 0,
  };
  const outcome = await reinvestment.startReinvestment({
    orderNo: input.orderNo,
    productId: instruction.productId ?? input.product.terms.productId,
    amountFen: reinvested.principalFen + reinvested.interestFen,
    instruction: instruction.kind,
  });
  if (outcome.outcome === 'REFUSED') {
    state.reinvestmentRefusal = outcome.reasonCode;
    return NOTHING;
  }
  state.nextOrderNo = outcome.nextOrderNo;
  return reinvested;
}

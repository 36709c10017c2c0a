/** The service fee (服务费) at maturity: computed from the frozen terms on the redeemed interest, booked as its own ledger row. */
import { serviceFeeFen } from '../../src/domain/redemption-terms';
import { ledger } from './activity-options';
import type { PurchaseRun } from './run';

/** Books the product's service fee on `interestFen` (nothing when it has none) and resolves to it. */
export async function chargeServiceFee(run: PurchaseRun, interestFen: number): Promise<number> {
  const feeFen = serviceFeeFen(run.input.product.terms.redemption?.serviceFee, interestFen);
  if (feeFen > 0) await ledger.bookServiceFee({ orderNo: run.input.orderNo, serviceFeeFen: feeFen });
  run.state.serviceFeeFen = feeFen;
  return feeFen;
}

import {
  createOrder,
  findReinvestmentOf,
  readInvestorPii,
  recordOrderNote,
  requireOrder,
  termsOfOrder,
} from '../../src/db/repositories/orders';
import type { PurchaseOrder } from '../../src/db/entities/purchase-order';
import type { ProductSnapshot } from '../../src/domain/order-terms';
import { purchaseRefusal, WITHDRAWN_OFFER } from '../../src/domain/purchase-eligibility';
import { PartnerError } from '../../src/partners/errors';
import { productSnapshot } from '../../src/partners/xjp/product-snapshot';
import type { ActivityDependencies } from '../dependencies';

/** What the maturing run asks: reinvest this much of its redeemed money in this product. */
export interface ReinvestmentRequest {
  orderNo: string;
  productId: string;
  amountFen: number;
  instruction: 'REINVEST_PRINCIPAL' | 'REINVEST_ALL';
}

/** The new order subscribed (its run goes on by itself), or why everything is paid out instead. */
export type ReinvestmentOutcome =
  { outcome: 'REINVESTED'; nextOrderNo: string } | { outcome: 'REFUSED'; reasonCode: string; nextOrderNo?: string };

/** The product as XJP offers it now, or the reason code when XJP no longer names it. */
async function currentProduct(
  xjp: ActivityDependencies['xjp'],
  productId: string,
): Promise<ProductSnapshot | 'PRODUCT_NOT_FOUND'> {
  try {
    return productSnapshot(await xjp.getProduct({ productId }));
  } catch (err) {
    // Transient failures retry the activity; a product XJP refuses to name cannot be bought.
    if (err instanceof PartnerError && !err.retryable) return 'PRODUCT_NOT_FOUND';
    throw err;
  }
}

/** Reinvestment at maturity (续投): the new order, written once per matured order, and its run. */
export function createReinvestmentActivities({
  orm,
  xjp,
  pii,
  purchaseStarter,
}: Pick<ActivityDependencies, 'orm' | 'xjp' | 'pii' | 'purchaseStarter'>) {
  /** The matured order's note saying where its money went: once per order, whatever the retries. */
  async function note(previous: PurchaseOrder, outcome: ReinvestmentOutcome, request: ReinvestmentRequest) {
    const { orderNo, ...asked } = request;
    await recordOrderNote(orm.em.fork(), {
      orderNo,
      cause: outcome.outcome === 'REINVESTED' ? 'REINVESTED' : 'REINVESTMENT_FELL_BACK_TO_PAYOUT',
      actor: 'SYSTEM',
      detail: { ...asked, ...outcome, previousStatus: previous.status },
      at: new Date(),
      once: true,
    });
    return outcome;
  }

  return {
    /**
     * Writes the new order (its number from the counter; the matured order's number is its
     * idempotency key and its link, so a retry finds the order the first attempt wrote) and starts
     * its run, funded by the redeemed money; answers once XJP subscribed or refused it.
     */
    async startReinvestment(request: ReinvestmentRequest): Promise<ReinvestmentOutcome> {
      const em = orm.em.fork();
      const previous = await requireOrder(em, request.orderNo);
      const product = await currentProduct(xjp, request.productId);
      let next = await findReinvestmentOf(em, request.orderNo);
      if (next === null) {
        // Checked before any order is written: a product off sale leaves no order behind.
        const refusal = product === 'PRODUCT_NOT_FOUND' ? product : purchaseRefusal(product.offer, request.amountFen);
        if (refusal !== undefined) return note(previous, { outcome: 'REFUSED', reasonCode: refusal }, request);
        next = await createOrder(orm.em.fork(), pii, {
          idempotencyKey: `reinvest:${request.orderNo}`,
          memberId: previous.memberId,
          amountFen: request.amountFen,
          product: product === 'PRODUCT_NOT_FOUND' ? termsOfOrder(previous) : product.terms,
          investor: readInvestorPii(previous, pii),
          channel: previous.channel ?? 'REINVESTMENT',
          actor: 'SYSTEM',
          actorRef: request.orderNo,
          at: new Date(),
          previousOrderNo: request.orderNo,
        });
      }
      const status = await purchaseStarter.startReinvestment({
        orderNo: next.orderNo,
        memberId: next.memberId,
        amountFen: next.amountFen,
        channel: next.channel ?? 'REINVESTMENT',
        // An order written by an earlier attempt keeps its terms; the offer is XJP's now.
        product: {
          terms: termsOfOrder(next),
          offer: product === 'PRODUCT_NOT_FOUND' ? WITHDRAWN_OFFER : product.offer,
        },
        reinvestmentOf: request.orderNo,
      });
      // Refused, or ended already (a retry after the run answered): the row has the status and the reason.
      const ended =
        status === 'REJECTED' || status === undefined ? await requireOrder(orm.em.fork(), next.orderNo) : null;
      if (ended?.status === 'REJECTED') {
        const reasonCode = ended.rejectReason ?? 'REJECTED';
        return note(previous, { outcome: 'REFUSED', reasonCode, nextOrderNo: next.orderNo }, request);
      }
      return note(previous, { outcome: 'REINVESTED', nextOrderNo: next.orderNo }, request);
    },
  };
}

import {
  createOrder,
  findReinvestmentOf,
  readInvestorPii,
  recordOrderNote,
  requireOrder,
  termsOfOrder,
} from '../../src/db/repositories/orders';
import type { ProductSnapshot } from '../../src/domain/order-terms';
import { largestOrderWithin, purchaseRefusal, WITHDRAWN_OFFER } from '../../src/domain/purchase-eligibility';
import { PartnerError } from '../../src/partners/errors';
import { productSnapshot } from '../../src/partners/xjp/product-snapshot';
import type { ActivityDependencies } from '../dependencies';

/** What the maturing run asks: reinvest up to `availableFen` of its redeemed money in this product. */
export interface ReinvestmentRequest {
  orderNo: string;
  productId: string;
  availableFen: number;
  instruction: 'REINVEST_PRINCIPAL' | 'REINVEST_ALL';
}

/** The new order subscribed for `amountFen` (its run goes on by itself), or why everything is paid out instead. */
export type ReinvestmentOutcome =
  | { outcome: 'REINVESTED'; nextOrderNo: string; amountFen: number }
  | { outcome: 'REFUSED'; reasonCode: string; nextOrderNo?: string };

/** The product as XJP offers it now; undefined when XJP no longer names it (delisted). */
async function currentProduct(
  xjp: ActivityDependencies['xjp'],
  productId: string,
): Promise<ProductSnapshot | undefined> {
  try {
    return productSnapshot(await xjp.getProduct({ productId }));
  } catch (err) {
    // Transient failures retry the activity; a product XJP refuses to name is no longer on sale.
    if (err instanceof PartnerError && !err.retryable) return undefined;
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
  async function noted(request: ReinvestmentRequest, outcome: ReinvestmentOutcome): Promise<ReinvestmentOutcome> {
    const { orderNo, ...asked } = request;
    await recordOrderNote(orm.em.fork(), {
      orderNo,
      cause: outcome.outcome === 'REINVESTED' ? 'REINVESTED' : 'REINVESTMENT_FELL_BACK_TO_PAYOUT',
      actor: 'SYSTEM',
      detail: { ...asked, ...outcome },
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
      const previous = await requireOrder(orm.em.fork(), request.orderNo);
      const product = await currentProduct(xjp, request.productId);
      let next = await findReinvestmentOf(orm.em.fork(), request.orderNo);
      if (next === null) {
        // Checked on XJP's live offer before any order is written: a refusal leaves no order behind.
        if (product === undefined) return noted(request, { outcome: 'REFUSED', reasonCode: 'PRODUCT_NOT_ON_SALE' });
        const amountFen = largestOrderWithin(product.offer, request.availableFen);
        const refusal = purchaseRefusal(product.offer, amountFen > 0 ? amountFen : request.availableFen);
        if (refusal !== undefined) return noted(request, { outcome: 'REFUSED', reasonCode: refusal });
        next = await createOrder(orm.em.fork(), pii, {
          idempotencyKey: `reinvest:${request.orderNo}`,
          memberId: previous.memberId,
          amountFen,
          product: product.terms,
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
        // An order an earlier attempt wrote keeps its terms; the offer is XJP's now (its run checks it again).
        product: { terms: termsOfOrder(next), offer: product?.offer ?? WITHDRAWN_OFFER },
        reinvestmentOf: { orderNo: request.orderNo, xjpOrderNo: previous.xjpOrderNo ?? '' },
      });
      // Refused, or ended already (a retry after the run answered): the row has the status and the reason.
      const ended =
        status === 'REJECTED' || status === undefined ? await requireOrder(orm.em.fork(), next.orderNo) : null;
      if (ended?.status === 'REJECTED') {
        const reasonCode = ended.rejectReason ?? 'REJECTED';
        return noted(request, { outcome: 'REFUSED', reasonCode, nextOrderNo: next.orderNo });
      }
      return noted(request, { outcome: 'REINVESTED', nextOrderNo: next.orderNo, amountFen: next.amountFen });
    },
  };
}

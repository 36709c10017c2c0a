import { Context } from '@temporalio/activity';
import { listCreatedOrdersBefore, recordOrderNote, termsOfOrder } from '../../src/db/repositories/orders';
import { type ProductOffer, WITHDRAWN_OFFER } from '../../src/domain/purchase-eligibility';
import { PartnerError } from '../../src/partners/errors';
import { productSnapshot } from '../../src/partners/xjp/product-snapshot';
import type { ActivityDependencies } from '../dependencies';

/** What one sweep found and did. */
export interface MissingRunSweepResult {
  /** CREATED orders old enough to look at. */
  checked: number;
  /** Orders whose run was missing and is now started. */
  started: string[];
}

/** Orders looked at per sweep; a backlog larger than this drains over the next sweeps. */
const SWEEP_BATCH = 200;

/** The missing-run sweep's activity: start the run of every order the API wrote but never started. */
export function createMissingRunActivities({ orm, xjp, purchaseStarter }: ActivityDependencies) {
  /** The offer checked now, against the terms frozen when the investor ordered. */
  async function currentOffer(productId: string): Promise<ProductOffer> {
    try {
      return productSnapshot(await xjp.getProduct({ productId })).offer;
    } catch (err) {
      // Transient failures retry the activity; a product XJP refuses to name is no longer on sale.
      if (err instanceof PartnerError && !err.retryable) return WITHDRAWN_OFFER;
      throw err;
    }
  }

  return {
    async startMissingPurchaseRuns(input: { olderThanSeconds: number }): Promise<MissingRunSweepResult> {
      const before = new Date(Date.now() - input.olderThanSeconds * 1000);
      const orders = await listCreatedOrdersBefore(orm.em.fork(), before, SWEEP_BATCH);
      const started: string[] = [];
      for (const order of orders) {
        if (await purchaseStarter.hasRun(order.orderNo)) continue;
        const run = {
          orderNo: order.orderNo,
          memberId: order.memberId,
          amountFen: order.amountFen,
          channel: order.channel ?? 'UNKNOWN',
          product: { terms: termsOfOrder(order), offer: await currentOffer(order.productId) },
        };
        if (!(await purchaseStarter.start(run))) continue;
        started.push(order.orderNo);
        await recordOrderNote(orm.em.fork(), {
          orderNo: order.orderNo,
          cause: 'RUN_STARTED_BY_SWEEP',
          actor: 'SYSTEM',
          detail: { orderCreatedAt: order.createdAt.toISOString() },
          at: new Date(),
        });
        Context.current().log.warn('order had no run: started by the sweep', {
          alert: 'ORDER_WITHOUT_RUN',
          orderNo: order.orderNo,
        });
      }
      return { checked: orders.length, started };
    },
  };
}

/** The activity interface the missing-run sweep proxies (imported there as a type only). */
export type MissingRunActivities = ReturnType<typeof createMissingRunActivities>;

/** The maturity step: MATURED, redeemed at XJP, and, for a product paid out on withdrawal, the investor's request awaited. */
import { condition } from '@temporalio/workflow';
import { redemption } from './activity-options';
import type { PurchaseRun } from './run';

/** Matures and redeems the order; resolves when its proceeds may be paid out. */
export async function mature(run: PurchaseRun, xjpOrderNo: string): Promise<void> {
  await run.moveTo('MATURED', 'MATURITY_REACHED', 'SYSTEM');
  await redemption.redeemAtXjp({ orderNo: run.input.orderNo, xjpOrderNo });
  if (run.input.product.terms.payoutMode === 'ON_WITHDRAWAL') {
    run.waitFor('WITHDRAWAL');
    await condition(() => run.inbox.withdrawRequested);
  }
}

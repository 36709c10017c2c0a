/**
 * After the faults: every order's end state, and the database, the workflow state and both
 * simulators' books agreeing to the fen — no duplicate subscription at XJP, no duplicate payment
 * or payout at LianLian.
 */
import { Client, Connection } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { OrderEventSchema } from '../../src/db/entities/order-event';
import { PurchaseOrderSchema, type PurchaseOrder } from '../../src/db/entities/purchase-order';
import { closeOrm, openOrm } from '../../src/db/orm';
import { purchaseStateQuery, purchaseWorkflowId } from '../../workflows/purchase/contract';
import type { ChaosStack } from './processes';
import type { Intent, Purchase } from './purchases';

const xjpBooksSchema = z.object({
  subscriptions: z.array(
    z.object({
      purchaseRecordId: z.string(),
      xjpOrderNo: z.string(),
      amountFen: z.number(),
      payStatus: z.string(),
      paidAmountFen: z.number().optional(),
      quotaLockedFen: z.number(),
    }),
  ),
});
const lianlianBooksSchema = z.object({
  payments: z.array(z.object({ no_order: z.string(), moneyFen: z.number(), status: z.string() })),
  payouts: z.array(z.object({ no_order: z.string(), result_pay: z.string() })),
});

/** The end states an order with this intent may rightly have (a cancel may lose the race to the payment window). */
const EXPECTED: Record<Intent, readonly string[]> = {
  PAY: ['ACCRUING'],
  LEAVE_UNPAID: ['EXPIRED'],
  CANCEL: ['CANCELLED', 'EXPIRED'],
};

/** What the check found. */
export interface BookFigures {
  orders: number;
  lost: number;
  mismatched: number;
  duplicateSubscriptions: number;
  duplicatePayouts: number;
  problems: string[];
}

async function json(url: string): Promise<unknown> {
  return (await fetch(url)).json();
}

/** Waits until every order the API acknowledged has reached an end state its intent allows (or `deadline`). */
export async function settle(stack: ChaosStack, purchases: readonly Purchase[], deadline: number): Promise<void> {
  const orm = await openOrm(stack.databaseUrl);
  try {
    while (Date.now() < deadline) {
      const rows = await orm.em
        .fork()
        .find(PurchaseOrderSchema, { orderNo: { $in: purchases.flatMap((p) => (p.orderNo ? [p.orderNo] : [])) } });
      const byNo = new Map(rows.map((r) => [r.orderNo, r.status]));
      const pending = purchases.filter(
        (p) => p.orderNo !== undefined && !EXPECTED[p.intent].includes(byNo.get(p.orderNo) ?? ''),
      );
      if (pending.length === 0) return;
      await delay(2_000);
    }
  } finally {
    await closeOrm(orm);
  }
}

/** Compares our books with XJP's and LianLian's for every purchase the suite made. */
export async function checkBooks(stack: ChaosStack, purchases: readonly Purchase[]): Promise<BookFigures> {
  const problems: string[] = [];
  const xjp = xjpBooksSchema.parse(await json(`${stack.xjpUrl}/admin/state`));
  const lianlian = lianlianBooksSchema.parse(await json(`${stack.lianlianUrl}/admin/state`));
  const orm = await openOrm(stack.databaseUrl);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  let lost = 0;
  let mismatched = 0;
  try {
    const em = orm.em.fork();
    const rows = await em.find(PurchaseOrderSchema, {});
    const byKey = new Map<string, PurchaseOrder>(rows.map((r) => [r.idempotencyKey, r]));
    for (const purchase of purchases) {
      const row = byKey.get(purchase.idempotencyKey);
      if (purchase.refused !== undefined && row === undefined) continue;
      if (row === undefined || purchase.orderNo === undefined) {
        lost += 1;
        problems.push(
          `lost: ${purchase.idempotencyKey} (${row === undefined ? 'no order row' : `row ${row.orderNo} ${row.status}, never answered`})`,
        );
        continue;
      }
      if (!EXPECTED[purchase.intent].includes(row.status)) {
        lost += 1;
        problems.push(`lost: ${row.orderNo} intent ${purchase.intent} ended ${row.status}`);
        continue;
      }
      const state = await client.workflow
        .getHandle(purchaseWorkflowId(row.orderNo))
        .query(purchaseStateQuery)
        .catch((err: unknown) => String(err));
      const subs = xjp.subscriptions.filter((s) => s.purchaseRecordId === row.orderNo);
      const payments = lianlian.payments.filter((p) => p.no_order === subs[0]?.xjpOrderNo);
      const paidEvents = await em.count(OrderEventSchema, { order: { orderNo: row.orderNo }, toStatus: 'PAID' });
      const wrong: string[] = [];
      if (typeof state === 'string' || state.status !== row.status || state.amountFen !== row.amountFen)
        wrong.push(`workflow ${typeof state === 'string' ? state : `${state.status}/${state.amountFen}`}`);
      if (subs.length !== 1 || subs[0]?.amountFen !== row.amountFen || subs[0].xjpOrderNo !== row.xjpOrderNo)
        wrong.push(`XJP subscriptions ${JSON.stringify(subs)}`);
      if (row.status === 'ACCRUING') {
        if (subs[0]?.payStatus !== 'PAID' || subs[0].paidAmountFen !== row.amountFen)
          wrong.push(`XJP not paid to the fen: ${JSON.stringify(subs[0])}`);
        if (payments.filter((p) => p.status === 'PAID').length !== 1 || payments[0]?.moneyFen !== row.amountFen)
          wrong.push(`LianLian payments ${JSON.stringify(payments)}`);
        if (paidEvents !== 1) wrong.push(`${paidEvents} PAID events`);
      } else if (subs[0]?.payStatus !== 'CANCELLED' || subs[0].quotaLockedFen !== 0) {
        wrong.push(`XJP still holds an ${row.status} order: ${JSON.stringify(subs[0])}`);
      }
      if (wrong.length > 0) {
        mismatched += 1;
        problems.push(`mismatched: ${row.orderNo} (${row.status}): ${wrong.join('; ')}`);
      }
    }
    const perRecord = new Map<string, number>();
    for (const s of xjp.subscriptions) perRecord.set(s.purchaseRecordId, (perRecord.get(s.purchaseRecordId) ?? 0) + 1);
    const perPayout = new Map<string, number>();
    for (const p of lianlian.payouts) perPayout.set(p.no_order, (perPayout.get(p.no_order) ?? 0) + 1);
    return {
      orders: purchases.filter((p) => p.orderNo !== undefined).length,
      lost,
      mismatched,
      duplicateSubscriptions: [...perRecord.values()].reduce((sum, n) => sum + n - 1, 0),
      duplicatePayouts: [...perPayout.values()].reduce((sum, n) => sum + n - 1, 0),
      problems,
    };
  } finally {
    await connection.close();
    await closeOrm(orm);
  }
}

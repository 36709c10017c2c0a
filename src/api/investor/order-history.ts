/**
 * A member's order history, from PostgreSQL only: every order, held and ended, newest first,
 * paged by keyset (order time, then order number) so a page never repeats or skips an order
 * when new ones arrive between calls.
 */
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { PurchaseOrderSchema, type PurchaseOrder } from '../../db/entities/purchase-order';
import { addDays, shanghaiMidnight } from '../../domain/calendar';
import { STATUS_GROUP, statusesIn } from '../../domain/order-status';
import { rateFromMicros, rateToDecimalString } from '../../domain/rate';
import { HttpError } from '../http-error';
import type { OrderHistoryQuery, OrderHistoryView, OrderSummaryView } from './schemas';

/** Where a page ends: the last order's time and number. */
const cursorSchema = z.strictObject({ at: z.iso.datetime(), orderNo: z.string().min(1).max(64) });
type Cursor = z.infer<typeof cursorSchema>;

function encodeCursor(order: PurchaseOrder): string {
  const cursor: Cursor = { at: order.createdAt.toISOString(), orderNo: order.orderNo };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The cursor a previous page handed out, or 400 on the field when it is not one. */
function decodeCursor(raw: string): Cursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success)
    throw new HttpError(400, 'VALIDATION_FAILED', 'query.cursor is not a cursor this API handed out', [
      { field: 'query.cursor', message: 'must be the nextCursor of a previous page' },
    ]);
  return parsed.data;
}

function summary(order: PurchaseOrder): OrderSummaryView {
  return {
    orderNo: order.orderNo,
    status: order.status,
    statusGroup: STATUS_GROUP[order.status],
    rejectReason: order.rejectReason,
    productId: order.productId,
    productCode: order.productCode,
    productName: order.productName,
    principalFen: order.amountFen,
    annualRate: rateToDecimalString(rateFromMicros(order.annualRateMicros)),
    term: { unit: order.termUnit, value: order.termValue },
    orderedAt: order.createdAt.toISOString(),
    paidAt: order.paidAt?.toISOString() ?? null,
    interestStartDate: order.interestStartDate,
    maturityDate: order.maturityDate,
    expectedInterestFen: order.expectedInterestFen,
  };
}

/** One page of `memberId`'s orders under the query's filters; the query was validated at the route (from ≤ to). */
export async function memberOrderHistory(
  em: EntityManager,
  memberId: string,
  query: OrderHistoryQuery,
): Promise<OrderHistoryView> {
  const where: FilterQuery<PurchaseOrder>[] = [{ memberId }];
  if (query.status !== undefined) where.push({ status: { $in: statusesIn(query.status) } });
  if (query.productId !== undefined) where.push({ productId: query.productId });
  if (query.from !== undefined) where.push({ createdAt: { $gte: shanghaiMidnight(query.from) } });
  if (query.to !== undefined) where.push({ createdAt: { $lt: shanghaiMidnight(addDays(query.to, 1)) } });
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor);
    const at = new Date(after.at);
    where.push({ $or: [{ createdAt: { $lt: at } }, { createdAt: at, orderNo: { $lt: after.orderNo } }] });
  }
  // One more than the page, to know whether another page follows without counting.
  const rows = await em.find(
    PurchaseOrderSchema,
    { $and: where },
    { orderBy: { createdAt: 'desc', orderNo: 'desc' }, limit: query.size + 1 },
  );
  const page = rows.slice(0, query.size);
  const last = page.at(-1);
  return {
    memberId,
    size: query.size,
    items: page.map(summary),
    nextCursor: rows.length > query.size && last !== undefined ? encodeCursor(last) : null,
  };
}

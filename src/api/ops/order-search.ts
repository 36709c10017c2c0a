import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { type PurchaseOrder, PurchaseOrderSchema } from '../../db/entities/purchase-order';
import { addDays, shanghaiMidnight } from '../../domain/calendar';
import type { OrderSearch } from './ops-schemas';

/** One row of the operators' order list: enough to pick an order, personal data masked. */
function listItem(order: PurchaseOrder) {
  return {
    orderNo: order.orderNo,
    memberId: order.memberId,
    productId: order.productId,
    productName: order.productName,
    amountFen: order.amountFen,
    status: order.status,
    rejectReason: order.rejectReason,
    investorName: order.investorNameMasked,
    bankCard: order.bankCardMasked,
    createdAt: order.createdAt.toISOString(),
    paidAt: order.paidAt?.toISOString() ?? null,
    maturityDate: order.maturityDate,
  };
}

/** Orders matching every given filter, newest first, one page at a time, from PostgreSQL. */
export async function searchOrders(em: EntityManager, search: OrderSearch) {
  const where: FilterQuery<PurchaseOrder> = {};
  if (search.orderNo !== undefined) where.orderNo = search.orderNo;
  if (search.memberId !== undefined) where.memberId = search.memberId;
  if (search.productId !== undefined) where.productId = search.productId;
  if (search.state !== undefined) where.status = { $in: search.state };
  if (search.createdFrom !== undefined || search.createdTo !== undefined) {
    where.createdAt = {
      ...(search.createdFrom === undefined ? {} : { $gte: shanghaiMidnight(search.createdFrom) }),
      ...(search.createdTo === undefined ? {} : { $lt: shanghaiMidnight(addDays(search.createdTo, 1)) }),
    };
  }
  const [orders, total] = await em.findAndCount(PurchaseOrderSchema, where, {
    // The order number breaks ties between orders created in the same millisecond, so pages never overlap.
    orderBy: { createdAt: 'desc', orderNo: 'desc' },
    limit: search.pageSize,
    offset: (search.page - 1) * search.pageSize,
  });
  return { page: search.page, pageSize: search.pageSize, total, items: orders.map(listItem) };
}

import { Router } from 'express';
import { z } from 'zod';
import { shanghaiDate } from '../common/shanghai-time';
import { statementFaultSchema, type StatementFaults, type StatementLine } from '../common/statement-faults';
import type { SimOrder, XjpStore } from './store';

/** One line of XJP's daily statement (对账单). */
export interface XjpStatementRecord {
  purchaseRecordId: string;
  xjpOrderNo: string;
  productId: string;
  amountFen: number;
  payStatus: string;
  orderTime: string;
  paidAt?: string;
  paidAmountFen?: number;
}

const statementSchema = z.object({
  partnerId: z.string(),
  timestamp: z.string(),
  sign: z.string(),
  businessDate: z.iso.date(),
});

function line(order: SimOrder): XjpStatementRecord {
  const { purchaseRecordId, xjpOrderNo, productId, amountFen, payStatus, orderTime, paidAt, paidAmountFen } = order;
  return { purchaseRecordId, xjpOrderNo, productId, amountFen, payStatus, orderTime, paidAt, paidAmountFen };
}

const xjpLine: StatementLine<XjpStatementRecord> = {
  reference: (record) => record.xjpOrderNo,
  altered: (record, change) => ({
    ...record,
    ...(change.amountFen === undefined
      ? {}
      : {
          amountFen: change.amountFen,
          ...(record.paidAmountFen === undefined ? {} : { paidAmountFen: change.amountFen }),
        }),
    ...(change.status === undefined ? {} : { payStatus: change.status }),
  }),
  // A subscription the engine never made: its purchase record id is not one of our order numbers.
  phantom: (fault) => ({
    purchaseRecordId: fault.reference,
    xjpOrderNo: fault.reference,
    productId: 'XJP-P-0001',
    amountFen: fault.amountFen,
    payStatus: fault.status,
    orderTime: `${fault.date}T04:00:00.000Z`,
  }),
};

/** The orders of one Shanghai business date: subscribed that day, or paid that day. */
function ordersOf(store: XjpStore, businessDate: string): SimOrder[] {
  return [...store.orders.values()].filter(
    (o) =>
      shanghaiDate(new Date(o.orderTime)) === businessDate ||
      (o.paidAt !== undefined && shanghaiDate(new Date(o.paidAt)) === businessDate),
  );
}

/** The signed `POST /api/statements/daily`: the statement of a business date, armed faults applied. */
export function xjpStatementRoutes(store: XjpStore, faults: StatementFaults): Router {
  const router = Router();
  router.post('/statements/daily', (req, res) => {
    const parsed = statementSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ code: 'INVALID_REQUEST', message: z.prettifyError(parsed.error) });
      return;
    }
    const { businessDate } = parsed.data;
    const records = faults.apply(businessDate, ordersOf(store, businessDate).map(line), xjpLine);
    res.json({ code: 'SUCCESS', data: { businessDate, records } });
  });
  return router;
}

/** The unsigned `POST /admin/statement-faults` (reference = XJP order number; phantom: a new one). */
export function xjpStatementAdminRoutes(faults: StatementFaults): Router {
  const router = Router();
  router.post('/statement-faults', (req, res) => {
    const parsed = statementFaultSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ code: 'INVALID_REQUEST', message: z.prettifyError(parsed.error) });
      return;
    }
    faults.add(parsed.data);
    res.json({ code: 'SUCCESS', data: faults.list() });
  });
  return router;
}

import { Router } from 'express';
import { z } from 'zod';
import { shanghaiDate } from '../common/shanghai-time';
import { statementFaultSchema, type StatementFaults, type StatementLine } from '../common/statement-faults';
import type { Redemption, SimOrder, XjpStore } from './store';

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
  interestStartDate: string;
  interestEndDate: string;
}

/** One redemption XJP settled that business date. */
export interface XjpStatementRedemption {
  purchaseRecordId: string;
  xjpOrderNo: string;
  redemptionId: string;
  principalFen: number;
  interestFen: number;
  /** An early redemption's fee on principal, taken from the total (0 at maturity). */
  penaltyFen: number;
  totalFen: number;
  settledAt: string;
}

const statementSchema = z.object({
  partnerId: z.string(),
  timestamp: z.string(),
  sign: z.string(),
  businessDate: z.iso.date(),
});

function line(order: SimOrder): XjpStatementRecord {
  const { purchaseRecordId, xjpOrderNo, productId, amountFen, payStatus, orderTime, paidAt, paidAmountFen } = order;
  const { interestStartDate, interestEndDate } = order;
  const paid = { paidAt, paidAmountFen };
  return {
    purchaseRecordId,
    xjpOrderNo,
    productId,
    amountFen,
    payStatus,
    orderTime,
    ...paid,
    interestStartDate,
    interestEndDate,
  };
}

function redemptionLine(order: SimOrder & { redemption: Redemption }): XjpStatementRedemption {
  const { redemptionId, principalFen, interestFen, penaltyFen, totalFen, settledAt } = order.redemption;
  const { purchaseRecordId, xjpOrderNo } = order;
  return { purchaseRecordId, xjpOrderNo, redemptionId, principalFen, interestFen, penaltyFen, totalFen, settledAt };
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
    ...(change.maturityDate === undefined ? {} : { interestEndDate: change.maturityDate }),
  }),
  // A subscription the engine never made: its purchase record id is not one of our order numbers.
  phantom: (fault) => ({
    purchaseRecordId: fault.reference,
    xjpOrderNo: fault.reference,
    productId: 'XJP-P-0001',
    amountFen: fault.amountFen,
    payStatus: fault.status,
    orderTime: `${fault.date}T04:00:00.000Z`,
    interestStartDate: fault.date,
    interestEndDate: fault.date,
  }),
};

/** Redemption lines, referenced by XJP's redemption id; `alter` changes the interest (the total follows). */
const redemptionStatementLine: StatementLine<XjpStatementRedemption> = {
  section: 'redemptions',
  reference: (record) => record.redemptionId,
  altered: (record, change) =>
    change.amountFen === undefined
      ? record
      : {
          ...record,
          interestFen: change.amountFen - record.principalFen + record.penaltyFen,
          totalFen: change.amountFen,
        },
  // A settlement for an order the engine never made: its purchase record id is not one of our order numbers.
  phantom: (fault) => ({
    purchaseRecordId: fault.reference,
    xjpOrderNo: fault.reference,
    redemptionId: fault.reference,
    principalFen: fault.amountFen,
    interestFen: 0,
    penaltyFen: 0,
    totalFen: fault.amountFen,
    settledAt: `${fault.date}T04:00:00.000Z`,
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

/** The redemptions XJP settled on one Shanghai business date. */
function redemptionsOf(store: XjpStore, businessDate: string): (SimOrder & { redemption: Redemption })[] {
  return [...store.orders.values()].filter(
    (o): o is SimOrder & { redemption: Redemption } =>
      o.redemption !== undefined && shanghaiDate(new Date(o.redemption.settledAt)) === businessDate,
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
    const settled = redemptionsOf(store, businessDate).map(redemptionLine);
    const redemptions = faults.apply(businessDate, settled, redemptionStatementLine);
    res.json({ code: 'SUCCESS', data: { businessDate, records, redemptions } });
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

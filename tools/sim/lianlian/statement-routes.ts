import { Router } from 'express';
import { z } from 'zod';
import { formatShanghaiTimestamp, parseShanghaiTimestamp, shanghaiCompactDate } from '../common/shanghai-time';
import { statementFaultSchema, type StatementFaults, type StatementLine } from '../common/statement-faults';
import { fenToYuan } from '../common/yuan';
import type { PayoutDesk, SimPayout } from './payouts';
import { refundWire } from './refund-routes';
import type { RefundDesk } from './refunds';
import { RET, reply } from './wire';

/** One line of LianLian's daily payout statement, in LianLian's wire words. */
export interface PayoutStatementRecord {
  no_order: string;
  oid_paybill: string;
  dt_order: string;
  money_order: string;
  result_pay: string;
  settle_date?: string;
}

const statementSchema = z.object({
  oid_partner: z.string().min(1),
  bill_date: z.string().regex(/^\d{8}$/, 'must be yyyyMMdd'),
});

function line(payout: SimPayout): PayoutStatementRecord {
  const { no_order, oid_paybill, dt_order, result_pay, settle_date } = payout;
  return { no_order, oid_paybill, dt_order, money_order: fenToYuan(payout.moneyFen), result_pay, settle_date };
}

const payoutLine: StatementLine<PayoutStatementRecord> = {
  reference: (record) => record.no_order,
  altered: (record, change) => ({
    ...record,
    ...(change.amountFen === undefined ? {} : { money_order: fenToYuan(change.amountFen) }),
    ...(change.status === undefined ? {} : { result_pay: change.status }),
  }),
  phantom: (fault) => ({
    no_order: fault.reference,
    oid_paybill: `${fault.date.replace(/-/g, '')}9${fault.reference.slice(-9).padStart(9, '0')}`,
    dt_order: formatShanghaiTimestamp(new Date(`${fault.date}T12:00:00+08:00`)),
    money_order: fenToYuan(fault.amountFen),
    result_pay: fault.status,
  }),
};

/** The payouts a merchant ordered on one Shanghai date (`dt_order`), yyyyMMdd. */
function payoutsOf(desk: PayoutDesk, oidPartner: string, billDate: string): SimPayout[] {
  return desk.list().filter((p) => {
    const orderedAt = parseShanghaiTimestamp(p.dt_order);
    return p.oid_partner === oidPartner && orderedAt !== undefined && shanghaiCompactDate(orderedAt) === billDate;
  });
}

/** The signed `POST /gateway/statement/payout` (mounted under the gateway): one day's payouts, faults applied. */
export function payoutStatementRoutes(desk: PayoutDesk, faults: StatementFaults): Router {
  const router = Router();
  router.post('/statement/payout', (req, res) => {
    const parsed = statementSchema.safeParse(req.body);
    if (!parsed.success) {
      reply(res, RET.malformed, z.prettifyError(parsed.error));
      return;
    }
    const { oid_partner: oidPartner, bill_date: billDate } = parsed.data;
    const date = `${billDate.slice(0, 4)}-${billDate.slice(4, 6)}-${billDate.slice(6, 8)}`;
    const records = faults.apply(date, payoutsOf(desk, oidPartner, billDate).map(line), payoutLine);
    reply(res, RET.ok, 'ok', { bill_date: billDate, records });
  });
  return router;
}

/** The signed `POST /gateway/statement/refund`: the refunds a merchant applied for on one Shanghai date (`dt_refund`). */
export function refundStatementRoutes(desk: RefundDesk): Router {
  const router = Router();
  router.post('/statement/refund', (req, res) => {
    const parsed = statementSchema.safeParse(req.body);
    if (!parsed.success) {
      reply(res, RET.malformed, z.prettifyError(parsed.error));
      return;
    }
    const { oid_partner: oidPartner, bill_date: billDate } = parsed.data;
    const records = desk
      .list()
      .filter((r) => {
        const appliedAt = parseShanghaiTimestamp(r.dt_refund);
        return r.oid_partner === oidPartner && appliedAt !== undefined && shanghaiCompactDate(appliedAt) === billDate;
      })
      .map(refundWire);
    reply(res, RET.ok, 'ok', { bill_date: billDate, records });
  });
  return router;
}

/** The unsigned `POST /admin/statement-faults` (reference = `no_order`). */
export function payoutStatementAdminRoutes(faults: StatementFaults): Router {
  const router = Router();
  router.post('/statement-faults', (req, res) => {
    const parsed = statementFaultSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ ret_code: RET.malformed, ret_msg: z.prettifyError(parsed.error) });
      return;
    }
    faults.add(parsed.data);
    res.json({ ret_code: RET.ok, ret_msg: 'ok', armed: faults.list() });
  });
  return router;
}

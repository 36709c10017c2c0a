import { z } from 'zod';
import { parseShanghaiTimestamp } from './shanghai-time';
import { isExactYuan, yuanToFen } from './yuan';

/** LianLian's success code; every other `ret_code` is a refusal. */
export const LIANLIAN_SUCCESS = '0000';

/** LianLian refusal codes the engine may act on. */
export const LIANLIAN_RET_CODES = {
  INVALID_SIGNATURE: '1001',
  STALE_TIMESTAMP: '1002',
  MALFORMED_REQUEST: '1003',
  INVALID_CARD: '4001',
  /** The same `no_order` was applied before with different content. */
  CONFLICTING_PAYOUT: '4002',
  /** The refunds of a payment would exceed what arrived on it. */
  REFUND_EXCEEDS_PAYMENT: '4003',
  PAYOUT_NOT_FOUND: '8901',
  /** No paid payment carries the bill a refund names. */
  PAYMENT_NOT_FOUND: '8902',
  REFUND_NOT_FOUND: '8903',
} as const;

const nonEmpty = z.string().min(1);

/** Yuan decimal string on the wire, integer fen in the engine; sub-fen amounts are refused. */
const yuanAsFen = z.string().refine(isExactYuan, 'yuan with at most two decimals').transform(yuanToFen);

/** `yyyyMMddHHmmss` Asia/Shanghai on the wire, ISO-8601 UTC in the engine (it survives JSON as is). */
const shanghaiTimeAsIso = z.string().transform((text, ctx) => {
  const instant = parseShanghaiTimestamp(text);
  if (instant === undefined) {
    ctx.addIssue({ code: 'custom', message: 'not a yyyyMMddHHmmss time' });
    return z.NEVER;
  }
  return instant.toISOString();
});

/** Empty fields are left out of signatures, so an empty string and an absent one mean the same. */
const optionalText = z
  .string()
  .optional()
  .transform((text) => (text === '' ? undefined : text));

/** Where a payout stands: `APPLY → CHECK → WAITING → PROCESSING → SUCCESS | FAILURE | CLOSED`, then maybe `CANCEL`. */
export const payoutResultSchema = z.enum([
  'APPLY',
  'CHECK',
  'WAITING',
  'PROCESSING',
  'SUCCESS',
  'FAILURE',
  'CLOSED',
  'CANCEL',
]);
export type PayoutResult = z.infer<typeof payoutResultSchema>;

/** The part of every LianLian answer that says whether it succeeded. */
export const lianLianReturnSchema = z.object({ ret_code: nonEmpty, ret_msg: z.string().optional() });

/** The answer to a payout application. */
export const payoutApplicationSchema = z
  .object({ oid_paybill: nonEmpty, result_pay: payoutResultSchema })
  .transform((wire) => ({ lianlianBillNo: wire.oid_paybill, resultPay: wire.result_pay }));
export type PayoutApplication = z.infer<typeof payoutApplicationSchema>;

/** The fields that describe one payout wherever LianLian reports it: query, notification, statement. */
const payoutWireFields = {
  no_order: nonEmpty,
  oid_paybill: nonEmpty,
  dt_order: shanghaiTimeAsIso,
  money_order: yuanAsFen,
  result_pay: payoutResultSchema,
  settle_date: optionalText,
};
const payoutWire = z.object(payoutWireFields);

function payoutFromWire(wire: z.infer<typeof payoutWire>) {
  return {
    payoutId: wire.no_order,
    lianlianBillNo: wire.oid_paybill,
    amountFen: wire.money_order,
    resultPay: wire.result_pay,
    settleDate: wire.settle_date,
    orderedAt: wire.dt_order,
  };
}

/** A payout as LianLian's query reports it. */
export const payoutStatusSchema = payoutWire.transform(payoutFromWire);
export type PayoutStatus = z.infer<typeof payoutStatusSchema>;

/** LianLian's payout-result notification (its `sign` is checked before this). */
export const payoutNotificationSchema = z
  .object({
    ...payoutWireFields,
    oid_partner: nonEmpty,
    notification_id: nonEmpty,
    timestamp: shanghaiTimeAsIso,
    sign_type: z.literal('RSA'),
  })
  .transform((wire) => ({
    ...payoutFromWire(wire),
    notificationId: wire.notification_id,
    oidPartner: wire.oid_partner,
    sentAt: wire.timestamp,
  }));
export type PayoutNotification = z.infer<typeof payoutNotificationSchema>;

/** One payout on LianLian's daily payout statement: the same record the query answers. */
export const payoutStatementRecordSchema = payoutStatusSchema;
export type PayoutStatementRecord = z.infer<typeof payoutStatementRecordSchema>;

/** LianLian's payout statement of one date: every payout the merchant ordered that day. */
export const payoutStatementSchema = z
  .object({ bill_date: z.string().regex(/^\d{8}$/), records: z.array(payoutStatementRecordSchema) })
  .transform((wire) => ({ billDate: wire.bill_date, records: wire.records }));
export type PayoutStatement = z.infer<typeof payoutStatementSchema>;

/** Where a refund stands: `PROCESSING → SUCCESS | FAILURE`. */
export const refundStatusValues = ['PROCESSING', 'SUCCESS', 'FAILURE'] as const;
export const refundStateSchema = z.enum(refundStatusValues);
export type RefundState = z.infer<typeof refundStateSchema>;

/** The fields that describe one refund wherever LianLian reports it: apply answer, query, notification. */
const refundWireFields = {
  no_refund: nonEmpty,
  dt_refund: shanghaiTimeAsIso,
  money_refund: yuanAsFen,
  oid_paybill: nonEmpty,
  oid_refundno: nonEmpty,
  sta_refund: refundStateSchema,
  settle_date: optionalText,
};

function refundFromWire(wire: z.infer<z.ZodObject<typeof refundWireFields>>) {
  return {
    refundId: wire.no_refund,
    paymentBillNo: wire.oid_paybill,
    lianlianRefundNo: wire.oid_refundno,
    amountFen: wire.money_refund,
    state: wire.sta_refund,
    settleDate: wire.settle_date,
  };
}

/** A refund as LianLian's apply and query answer it. */
export const refundStatusSchema = z.object(refundWireFields).transform(refundFromWire);
export type RefundStatus = z.infer<typeof refundStatusSchema>;

/** LianLian's refund-result notification (its `sign` is checked before this). */
export const refundNotificationSchema = z
  .object({
    ...refundWireFields,
    oid_partner: nonEmpty,
    notification_id: nonEmpty,
    timestamp: shanghaiTimeAsIso,
    sign_type: z.literal('RSA'),
  })
  .transform((wire) => ({
    ...refundFromWire(wire),
    notificationId: wire.notification_id,
    oidPartner: wire.oid_partner,
    sentAt: wire.timestamp,
  }));
export type RefundNotification = z.infer<typeof refundNotificationSchema>;

/** LianLian's refund statement of one date: every refund the merchant applied for that day. */
export const refundStatementSchema = z
  .object({ bill_date: z.string().regex(/^\d{8}$/), records: z.array(refundStatusSchema) })
  .transform((wire) => ({ billDate: wire.bill_date, records: wire.records }));
export type RefundStatement = z.infer<typeof refundStatementSchema>;

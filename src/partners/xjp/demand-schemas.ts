import { z } from 'zod';

const fen = z.int().nonnegative();
const nonEmpty = z.string().min(1);
const isoInstant = z.iso.datetime({ offset: true });
const plainDecimal = z.string().regex(/^\d+(\.\d+)?$/, 'a plain decimal string');
const redemptionKind = z.enum(['FAST', 'STANDARD']);

/** A demand product (活期) at XJP. */
export const xjpDemandProductSchema = z.object({
  productCode: nonEmpty,
  name: nonEmpty,
  minAmountFen: fen,
  holdingCapFen: fen,
  fastRedemptionDailyLimitFen: fen,
  cutOff: z.string().regex(/^\d{2}:\d{2}$/),
});
export type XjpDemandProduct = z.infer<typeof xjpDemandProductSchema>;

/** The figure XJP publishes for one natural day: income per 10,000 fen and the 7-day yield, exact decimals. */
export const xjpDemandFigureSchema = z.object({
  productCode: nonEmpty,
  date: z.iso.date(),
  incomePer10kFen: plainDecimal,
  sevenDayYield: plainDecimal,
});
export type XjpDemandFigure = z.infer<typeof xjpDemandFigureSchema>;

/**
 * A demand subscription at XJP: placed and AWAITING_PAYMENT at LianLian's cashier (`cashierUrl`,
 * until `payBefore`), PAID (money arrived, not applied yet), CONFIRMED (with the payment time the
 * cut-off applied to and the dates it gave, Asia/Shanghai), EXPIRED (the window closed unpaid) or
 * REFUSED (paid, but over the holding cap when applied).
 */
export const xjpDemandSubscriptionSchema = z.object({
  subscriptionId: nonEmpty,
  xjpSubscriptionNo: nonEmpty,
  productCode: nonEmpty,
  accountNo: nonEmpty,
  amountFen: fen,
  requestedAt: isoInstant,
  cashierUrl: z.string(),
  payBefore: isoInstant,
  status: z.enum(['AWAITING_PAYMENT', 'PAID', 'CONFIRMED', 'EXPIRED', 'REFUSED']),
  payment: z.object({ paidAmountFen: fen, lianlianBillNo: nonEmpty, receivedAt: isoInstant }).optional(),
  paidAt: isoInstant.optional(),
  tradeDate: z.iso.date().optional(),
  countsFrom: z.iso.date().optional(),
  refusal: nonEmpty.optional(),
});
export type XjpDemandSubscription = z.infer<typeof xjpDemandSubscriptionSchema>;

/** A subscription whose units count. */
export const xjpConfirmedDemandSubscriptionSchema = xjpDemandSubscriptionSchema.extend({
  status: z.literal('CONFIRMED'),
  paidAt: isoInstant,
  tradeDate: z.iso.date(),
  countsFrom: z.iso.date(),
});
export type XjpConfirmedDemandSubscription = z.infer<typeof xjpConfirmedDemandSubscriptionSchema>;

/** A redemption XJP settled to the platform (fast) or accepted, to settle to the platform on its pay date (standard). */
export const xjpDemandRedemptionSchema = z.object({
  redemptionId: nonEmpty,
  xjpRedemptionNo: nonEmpty,
  productCode: nonEmpty,
  accountNo: nonEmpty,
  amountFen: fen,
  kind: redemptionKind,
  requestedAt: isoInstant,
  effectiveDate: z.iso.date(),
  payDate: z.iso.date(),
  status: z.enum(['SETTLED', 'ACCEPTED']),
  settlesTo: z.literal('PLATFORM'),
});
export type XjpDemandRedemption = z.infer<typeof xjpDemandRedemptionSchema>;

/** One holding's day in XJP's books. */
export const xjpDemandIncomeLineSchema = z.object({
  accountNo: nonEmpty,
  productCode: nonEmpty,
  date: z.iso.date(),
  unitsFen: fen,
  incomeFen: fen,
});
export type XjpDemandIncomeLine = z.infer<typeof xjpDemandIncomeLineSchema>;

/** XJP's demand statement of one Shanghai date: requests made that day and every holding's income of it. */
export const xjpDemandStatementSchema = z.object({
  businessDate: z.iso.date(),
  subscriptions: z.array(xjpConfirmedDemandSubscriptionSchema),
  redemptions: z.array(xjpDemandRedemptionSchema),
  income: z.array(xjpDemandIncomeLineSchema),
});
export type XjpDemandStatement = z.infer<typeof xjpDemandStatementSchema>;

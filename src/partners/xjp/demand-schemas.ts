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

/** A subscription XJP confirmed, with the dates its cut-off gave it (Asia/Shanghai). */
export const xjpDemandSubscriptionSchema = z.object({
  subscriptionId: nonEmpty,
  xjpSubscriptionNo: nonEmpty,
  productCode: nonEmpty,
  accountNo: nonEmpty,
  amountFen: fen,
  requestedAt: isoInstant,
  tradeDate: z.iso.date(),
  countsFrom: z.iso.date(),
  status: z.literal('CONFIRMED'),
});
export type XjpDemandSubscription = z.infer<typeof xjpDemandSubscriptionSchema>;

/** A redemption XJP accepted (standard) or paid (fast). */
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
  status: z.enum(['PAID', 'ACCEPTED']),
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
  subscriptions: z.array(xjpDemandSubscriptionSchema),
  redemptions: z.array(xjpDemandRedemptionSchema),
  income: z.array(xjpDemandIncomeLineSchema),
});
export type XjpDemandStatement = z.infer<typeof xjpDemandStatementSchema>;

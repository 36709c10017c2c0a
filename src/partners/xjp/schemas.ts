import { z } from 'zod';

/** Integer fen as XJP sends it; zod's int() also bounds it to the safe-integer range. */
const fen = z.int().nonnegative();
/** An annual rate as an exact decimal string ("0.0425"), never a float. */
const decimalRate = z.string().regex(/^\d+(\.\d+)?$/, 'a plain decimal string');
/** An instant as ISO-8601 (XJP writes UTC; an explicit offset is accepted too). */
const isoInstant = z.iso.datetime({ offset: true });
const termUnit = z.enum(['DAY', 'MONTH']);
const nonEmpty = z.string().min(1);

/** Basis points as XJP states them: whole, 0 to 10000. */
const bp = z.int().min(0).max(10_000);

/** Whether and how a product may be redeemed before maturity (违约赎回); absent: held to maturity. */
export const xjpEarlyRedemptionTermsSchema = z.object({
  allowed: z.boolean(),
  lockInDays: z.int().nonnegative(),
  penalty: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('PENALTY_RATE'), annualRate: decimalRate }),
    z.object({ kind: z.literal('PRINCIPAL_FEE'), bp }),
  ]),
});

/** The service fee (服务费) on every redemption: basis points of the interest, or fixed fen; absent: none. */
export const xjpServiceFeeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('INTEREST_BP'), bp }),
  z.object({ kind: z.literal('FIXED'), fen }),
]);

/** A product in XJP's catalogue. */
export const xjpProductSchema = z.object({
  productId: nonEmpty,
  productCode: nonEmpty,
  name: nonEmpty,
  annualRate: decimalRate,
  term: z.int().positive(),
  termUnit,
  minAmountFen: fen,
  stepAmountFen: fen,
  raiseTargetFen: fen,
  raisedFen: fen,
  status: z.enum(['ON_SALE', 'SOLD_OUT', 'ENDED']),
  acceptingBank: z.string(),
  dayCountBasis: z.union([z.literal(360), z.literal(365)]),
  interestStartRule: z.literal('T+1'),
  payoutMode: z.enum(['AUTO', 'ON_WITHDRAWAL']),
  /** The most one member may hold of this product, summed over their orders; absent when XJP states no limit. */
  memberLimitFen: fen.positive().optional(),
  earlyRedemption: xjpEarlyRedemptionTermsSchema.optional(),
  serviceFee: xjpServiceFeeSchema.optional(),
});
export type XjpProduct = z.infer<typeof xjpProductSchema>;

/** One page of the product list. */
export const xjpProductPageSchema = z.object({
  page: z.int().positive(),
  size: z.int().positive(),
  total: z.int().nonnegative(),
  items: z.array(xjpProductSchema),
});
export type XjpProductPage = z.infer<typeof xjpProductPageSchema>;

/** An investor account at XJP; `created` is false when the member already had one. */
export const xjpAccountSchema = z.object({
  accountNo: nonEmpty,
  memberId: nonEmpty,
  accountName: z.string(),
  created: z.boolean(),
});
export type XjpAccount = z.infer<typeof xjpAccountSchema>;

/** An account as XJP's account check (账户检查) answers it. */
export const xjpAccountCheckSchema = xjpAccountSchema.omit({ created: true });
export type XjpAccountCheck = z.infer<typeof xjpAccountCheckSchema>;

export const xjpPayStatusSchema = z.enum(['UNPAID', 'PAID', 'CANCELLED']);
export type XjpPayStatus = z.infer<typeof xjpPayStatusSchema>;

/** A subscription at XJP, as subscribe and cancel return it. */
export const xjpOrderSchema = z.object({
  purchaseRecordId: nonEmpty,
  xjpOrderId: nonEmpty,
  xjpOrderNo: nonEmpty,
  productId: nonEmpty,
  productName: z.string(),
  amountFen: fen,
  term: z.int().positive(),
  termUnit,
  annualRate: decimalRate,
  maturityAmountFen: fen,
  maturityInterestFen: fen,
  orderTime: isoInstant,
  /** Calendar dates in Asia/Shanghai. */
  interestStartDate: z.iso.date(),
  interestEndDate: z.iso.date(),
  payStatus: xjpPayStatusSchema,
  cashierUrl: z.url(),
});
export type XjpOrder = z.infer<typeof xjpOrderSchema>;

/** The payment state of a subscription; a PAID answer always says when, how much and which bill. */
export const xjpPaymentSchema = z.discriminatedUnion('payStatus', [
  z.object({
    xjpOrderNo: nonEmpty,
    payStatus: z.literal('PAID'),
    paidAt: isoInstant,
    paidAmountFen: fen,
    lianlianBillNo: nonEmpty,
  }),
  z.object({ xjpOrderNo: nonEmpty, payStatus: z.enum(['UNPAID', 'CANCELLED']) }),
]);
export type XjpPayment = z.infer<typeof xjpPaymentSchema>;

/** A settled redemption; the total is principal plus interest by definition. */
export const xjpRedemptionSchema = z
  .object({
    xjpOrderNo: nonEmpty,
    redemptionId: nonEmpty,
    principalFen: fen,
    interestFen: fen,
    totalFen: fen,
    settledAt: isoInstant,
    status: z.literal('SETTLED'),
  })
  .refine((r) => r.totalFen === r.principalFen + r.interestFen, { message: 'totalFen is not principal + interest' });
export type XjpRedemption = z.infer<typeof xjpRedemptionSchema>;

/**
 * A settled early redemption: interest for the days held (at the penalty rate where the product says
 * so) and any fee on principal (`penaltyFen`) taken from the total.
 */
export const xjpEarlyRedemptionSchema = z
  .object({
    xjpOrderNo: nonEmpty,
    redemptionId: nonEmpty,
    redemptionDate: z.iso.date(),
    principalFen: fen,
    interestFen: fen,
    penaltyFen: fen,
    totalFen: fen,
    settledAt: isoInstant,
    status: z.literal('SETTLED'),
  })
  .refine((r) => r.totalFen === r.principalFen + r.interestFen - r.penaltyFen, {
    message: 'totalFen is not principal + interest - penalty',
  });
export type XjpEarlyRedemption = z.infer<typeof xjpEarlyRedemptionSchema>;

/** XJP's payment notification to the engine, signed with XJP's key (`sign` is checked before this). */
export const xjpPaymentNotificationSchema = z.object({
  notificationId: nonEmpty,
  timestamp: isoInstant,
  purchaseRecordId: nonEmpty,
  xjpOrderId: nonEmpty,
  xjpOrderNo: nonEmpty,
  payStatus: z.literal('PAID'),
  paidAmountFen: fen,
  paidAt: isoInstant,
  lianlianBillNo: nonEmpty,
});
export type XjpPaymentNotification = z.infer<typeof xjpPaymentNotificationSchema>;

/** XJP's success envelope; `data` is checked against the call's own schema. */
export const xjpSuccessSchema = z.object({ code: z.literal('SUCCESS'), data: z.unknown() });

/** XJP's refusal body (422, 401, 400, 404). */
export const xjpRefusalSchema = z.object({ code: nonEmpty, message: z.string().optional() });

/** One line of XJP's daily statement: a subscription made or paid that business date, with XJP's interest dates. */
export const xjpStatementRecordSchema = z.object({
  purchaseRecordId: nonEmpty,
  xjpOrderNo: nonEmpty,
  productId: nonEmpty,
  amountFen: fen,
  payStatus: xjpPayStatusSchema,
  orderTime: isoInstant,
  paidAt: isoInstant.optional(),
  paidAmountFen: fen.optional(),
  /** Calendar dates in Asia/Shanghai. */
  interestStartDate: z.iso.date(),
  interestEndDate: z.iso.date(),
});
export type XjpStatementRecord = z.infer<typeof xjpStatementRecordSchema>;

/** One redemption XJP settled that business date; the total is principal plus interest less any early-redemption fee on principal. */
export const xjpStatementRedemptionSchema = z
  .object({
    purchaseRecordId: nonEmpty,
    xjpOrderNo: nonEmpty,
    redemptionId: nonEmpty,
    principalFen: fen,
    interestFen: fen,
    penaltyFen: fen.default(0),
    totalFen: fen,
    settledAt: isoInstant,
  })
  .refine((r) => r.totalFen === r.principalFen + r.interestFen - r.penaltyFen, {
    message: 'totalFen is not principal + interest - penalty',
  });
export type XjpStatementRedemption = z.infer<typeof xjpStatementRedemptionSchema>;

/** XJP's daily statement (对账单) of one Asia/Shanghai business date: subscriptions and payments, and redemptions settled. */
export const xjpStatementSchema = z.object({
  businessDate: z.iso.date(),
  records: z.array(xjpStatementRecordSchema),
  redemptions: z.array(xjpStatementRedemptionSchema),
});
export type XjpStatement = z.infer<typeof xjpStatementSchema>;

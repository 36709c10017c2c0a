/**
 * The investor centre's request and response shapes. Routes return values typed by these schemas
 * and the OpenAPI document is generated from them, so the document cannot drift from the code.
 */
import { z } from 'zod';
import { xjpEarlyRedemptionTermsSchema, xjpServiceFeeSchema } from '../../partners/xjp/schemas';
import { isCalendarDate } from '../../domain/calendar';
import { ORDER_STATUS_GROUPS, ORDER_STATUSES } from '../../domain/order-status';
import { DOCUMENT_LANGS } from './documents/document';
import { DATE_RANGE_MESSAGE, withinDateRange } from '../date-range';

const fen = z.int().nonnegative().describe('integer fen (1 yuan = 100 fen)');
const calendarDate = z.iso
  .date()
  .refine(isCalendarDate, 'must be a real date YYYY-MM-DD')
  .refine(withinDateRange, DATE_RANGE_MESSAGE)
  .describe('calendar date in Asia/Shanghai');
const term = z.object({ unit: z.enum(['DAY', 'MONTH']), value: z.int().positive() });

/** `?page=&size=` of the product list. */
export const productListQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  size: z.coerce.number().int().min(1).max(50).default(10),
});

/** The `:idOrCode` path parameter: an XJP product id or product code. */
export const productKeySchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only');

/** The `:memberId` path parameter. */
export const memberIdParamSchema = z.string().min(1).max(64);

/** A product as the platform shows it; `raiseProgressPercent` is exact (floored to 0.01%). */
export const productSchema = z.object({
  productId: z.string(),
  productCode: z.string(),
  name: z.string(),
  annualRate: z.string().describe('exact decimal without trailing zeros, e.g. "0.038"'),
  annualRatePercent: z.string().describe('display form, e.g. "3.80%"'),
  term,
  minAmountFen: fen,
  stepAmountFen: fen,
  raiseTargetFen: fen,
  raisedFen: fen,
  remainingFen: fen,
  raiseProgressPercent: z
    .string()
    .regex(/^\d{1,3}\.\d{2}$/)
    .describe('raised / target as a percentage with two decimals, e.g. "35.00"'),
  status: z.enum(['ON_SALE', 'SOLD_OUT', 'ENDED']),
  acceptingBank: z.string(),
  dayCountBasis: z.union([z.literal(360), z.literal(365)]),
  payoutMode: z.enum(['AUTO', 'ON_WITHDRAWAL']),
  memberLimitFen: fen
    .nullable()
    .describe('the most one member may hold of the product over all their orders, as XJP states it; null: no limit'),
});
export type ProductView = z.infer<typeof productSchema>;

/** A product of the home page, with the platform's own `hot` mark. */
export const homeProductSchema = productSchema.extend({
  hot: z.boolean().describe("marked hot by the platform's operators (listed first)"),
});

/** `GET /v1/products/home`: XJP's home-page products less those the platform hides, hot ones first. */
export const homeProductsSchema = z.object({ items: z.array(homeProductSchema) });
export type HomeProductsView = z.infer<typeof homeProductsSchema>;

/** One page of products. */
export const productPageSchema = z.object({
  page: z.int().positive(),
  size: z.int().positive(),
  total: z.int().nonnegative(),
  items: z.array(productSchema),
});
export type ProductPageView = z.infer<typeof productPageSchema>;

/** One held order in the investor's holdings. */
export const holdingSchema = z.object({
  orderNo: z.string(),
  status: z.enum(ORDER_STATUSES),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  principalFen: fen,
  annualRate: z.string(),
  term,
  paidAt: z.iso.datetime().nullable(),
  interestStartDate: calendarDate.nullable(),
  maturityDate: calendarDate.nullable(),
  accruedInterestFen: fen.describe('interest posted to the ledger so far'),
  expectedInterestFen: fen.nullable().describe('interest at maturity'),
  daysLeft: z
    .int()
    .nonnegative()
    .nullable()
    .describe(
      'calendar days to maturity from today (Asia/Shanghai), or from the interest start while that is still ahead',
    ),
});
export type HoldingView = z.infer<typeof holdingSchema>;

/** `GET /v1/members/:memberId/holdings`. */
export const holdingsSchema = z.object({
  memberId: z.string(),
  asOf: calendarDate,
  orders: z.array(holdingSchema),
  totals: z.object({
    principalHeldFen: fen,
    incomeToDateFen: fen.describe('interest posted so far on the held orders'),
    expectedIncomeFen: fen.describe('interest at maturity of the held orders'),
  }),
});
export type HoldingsView = z.infer<typeof holdingsSchema>;

/** The longest income history one call returns, so a query stays bounded. */
export const MAX_INCOME_RANGE_DAYS = 366;

/** `?from=&to=` of the income history (both inclusive). */
export const incomeQuerySchema = z.strictObject({ from: calendarDate, to: calendarDate });

/** `GET /v1/members/:memberId/income`: days with postings only, in date order. */
export const incomeHistorySchema = z.object({
  memberId: z.string(),
  from: calendarDate,
  to: calendarDate,
  totalFen: fen,
  days: z.array(
    z.object({
      date: calendarDate,
      amountFen: fen,
      orders: z.array(z.object({ orderNo: z.string(), productCode: z.string(), amountFen: fen })),
    }),
  ),
  /** What a redemption in the period corrected or kept back: interest not earned (negative), an early-redemption penalty, the service fee. */
  redemptionEntries: z.array(
    z.object({
      date: calendarDate,
      orderNo: z.string(),
      productCode: z.string(),
      kind: z.enum(['INTEREST_REVERSAL', 'EARLY_REDEMPTION_PENALTY', 'SERVICE_FEE']),
      amountFen: z.int().describe('the ledger row: negative for a reversal, positive for an amount kept back'),
    }),
  ),
  /** totalFen plus the reversals, less the penalties and service fees: what the period's holdings earned the investor. */
  netFen: z.int(),
});
export type IncomeHistoryView = z.infer<typeof incomeHistorySchema>;

/** The most orders one page of the order history holds. */
export const MAX_ORDER_PAGE_SIZE = 50;

/** `?status=&productId=&from=&to=&size=&cursor=` of the order history; dates are order dates in Asia/Shanghai, inclusive. */
export const orderHistoryQuerySchema = z.strictObject({
  status: z
    .enum(ORDER_STATUS_GROUPS)
    .optional()
    .describe('PENDING: awaiting payment; HELD: paid, not yet paid out; ENDED'),
  productId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only')
    .optional(),
  from: calendarDate.optional().describe('orders placed on or after this day'),
  to: calendarDate.optional().describe('orders placed on or before this day'),
  size: z.coerce.number().int().min(1).max(MAX_ORDER_PAGE_SIZE).default(20),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, 'a nextCursor from a previous page')
    .optional()
    .describe('nextCursor of the previous page'),
});
export type OrderHistoryQuery = z.infer<typeof orderHistoryQuerySchema>;

/** One order in the member's order history. */
export const orderSummarySchema = z.object({
  orderNo: z.string(),
  status: z.enum(ORDER_STATUSES),
  statusGroup: z.enum(ORDER_STATUS_GROUPS),
  rejectReason: z.string().nullable(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  principalFen: fen,
  annualRate: z.string(),
  term,
  orderedAt: z.iso.datetime(),
  paidAt: z.iso.datetime().nullable(),
  interestStartDate: calendarDate.nullable(),
  maturityDate: calendarDate.nullable(),
  expectedInterestFen: fen.nullable(),
});
export type OrderSummaryView = z.infer<typeof orderSummarySchema>;

/** `GET /v1/members/:memberId/orders`: newest first; `nextCursor` is null on the last page. */
export const orderHistorySchema = z.object({
  memberId: z.string(),
  size: z.int().positive(),
  items: z.array(orderSummarySchema),
  nextCursor: z.string().nullable(),
});
export type OrderHistoryView = z.infer<typeof orderHistorySchema>;

/** `?format=` and `?lang=` of a document; without `format` the `Accept` header decides (JSON by default). */
export const documentQuerySchema = z.strictObject({
  format: z.enum(['json', 'html', 'pdf']).optional(),
  lang: z.enum(DOCUMENT_LANGS).default('zh').describe('zh: the binding Chinese text; en: an English rendering'),
});

/** The investment agreement of one order, as JSON: the same facts the HTML and PDF print. */
export const contractSchema = z.object({
  contractNo: z.string(),
  orderNo: z.string(),
  xjpOrderNo: z.string().nullable(),
  status: z.enum(ORDER_STATUSES),
  contractDate: calendarDate.describe('the day the investor accepted the agreement'),
  parties: z.object({
    issuer: z.string(),
    distributor: z.string(),
    acceptingBank: z.string().nullable().describe('null on orders made before it was kept'),
  }),
  investor: z.object({
    memberId: z.string(),
    name: z.string(),
    idCardNoMasked: z.string(),
    bankCardMasked: z.string(),
  }),
  product: z.object({
    productId: z.string(),
    productCode: z.string(),
    name: z.string(),
    term,
    dayCountBasis: z.union([z.literal(360), z.literal(365)]),
    interestStartRule: z.string().describe('e.g. T+1: interest starts the day after payment'),
    payoutMode: z.enum(['AUTO', 'ON_WITHDRAWAL']),
    /** Early redemption (违约赎回) as the product states it; null: held to maturity. */
    earlyRedemption: xjpEarlyRedemptionTermsSchema.nullable(),
    /** The service fee (服务费) on redemption; null: none. */
    serviceFee: xjpServiceFeeSchema.nullable(),
  }),
  amountFen: fen,
  amountInCapitals: z.string().describe('the amount in Chinese capitals (大写), e.g. 壹万元整'),
  annualRate: z.string(),
  annualRatePercent: z.string(),
  orderedAt: z.iso.datetime(),
  paidAt: z.iso.datetime().nullable(),
  interestStartDate: calendarDate,
  maturityDate: calendarDate,
  expectedInterestFen: fen,
  maturityAmountFen: fen,
  /** The platform's service fee (服务费) kept back at maturity, by the product's terms (0: none). */
  serviceFeeFen: fen,
  /** What reaches the investor's card at maturity: principal and interest less the service fee. */
  maturityPayoutFen: fen,
  acceptance: z.object({
    at: z.iso.datetime(),
    channel: z.string().nullable().describe('null on orders made before it was kept'),
  }),
});
export type ContractView = z.infer<typeof contractSchema>;

/** Every error answer. */
export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

/** The `:month` of a statement: `YYYY-MM`. */
export const statementMonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');

/** `GET /v1/members/:memberId/statements/:month`: one calendar month (Asia/Shanghai) of a member's 小金票. */
export const statementSchema = z.object({
  memberId: z.string(),
  investorName: z.string().nullable().describe("the name on the member's latest order"),
  month: z.string(),
  from: calendarDate,
  to: calendarDate,
  holdings: z
    .array(
      z.object({
        orderNo: z.string(),
        productName: z.string(),
        principalFen: fen,
        annualRatePercent: z.string(),
        interestStartDate: calendarDate.nullable(),
        maturityDate: calendarDate.nullable(),
        incomeInMonthFen: fen,
        incomeToMonthEndFen: fen,
      }),
    )
    .describe('orders paid by the month end and not yet paid out at its start'),
  income: z.array(z.object({ date: calendarDate, amountFen: fen })).describe('interest posted per day of the month'),
  payouts: z.array(
    z.object({
      orderNo: z.string(),
      settledOn: calendarDate,
      principalFen: fen,
      interestFen: fen,
      totalFen: fen,
      status: z.string(),
      bankCardMasked: z.string(),
    }),
  ),
  totals: z.object({ principalHeldFen: fen, incomeFen: fen, paidOutFen: fen }),
});
export type StatementView = z.infer<typeof statementSchema>;

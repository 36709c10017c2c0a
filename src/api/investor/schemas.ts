/**
 * The investor centre's request and response shapes. Routes return values typed by these schemas
 * and the OpenAPI document is generated from them, so the document cannot drift from the code.
 */
import { z } from 'zod';
import { isCalendarDate } from '../../domain/calendar';
import { ORDER_STATUSES } from '../../domain/order-status';
import { DATE_RANGE_MESSAGE, withinDateRange } from '../date-range';

const fen = z.int().nonnegative().describe('integer fen (1 yuan = 100 fen)');
const calendarDate = z.iso.date().refine(isCalendarDate, 'must be a real date YYYY-MM-DD').refine(withinDateRange, DATE_RANGE_MESSAGE).describe('calendar date in Asia/Shanghai');
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
  annualRate: z.string().describe('exact decimal, e.g. "0.0380"'),
  annualRatePercent: z.string().describe('display form, e.g. "3.80%"'),
  term,
  minAmountFen: fen,
  stepAmountFen: fen,
  raiseTargetFen: fen,
  raisedFen: fen,
  remainingFen: fen,
  raiseProgressPercent: z.string().regex(/^\d{1,3}\.\d{2}$/).describe('raised / target as a percentage with two decimals, e.g. "35.00"'),
  status: z.enum(['ON_SALE', 'SOLD_OUT', 'ENDED']),
  acceptingBank: z.string(),
  dayCountBasis: z.union([z.literal(360), z.literal(365)]),
  payoutMode: z.enum(['AUTO', 'ON_WITHDRAWAL']),
});
export type ProductView = z.infer<typeof productSchema>;

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
  daysLeft: z.int().nonnegative().nullable().describe('calendar days from today (Asia/Shanghai) to maturity'),
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
});
export type IncomeHistoryView = z.infer<typeof incomeHistorySchema>;

/** `?format=` of the contract; without it the `Accept` header decides (JSON by default). */
export const contractQuerySchema = z.strictObject({ format: z.enum(['json', 'html', 'pdf']).optional() });

/** The investment contract of one order, as JSON. */
export const contractSchema = z.object({
  contractNo: z.string(),
  orderNo: z.string(),
  xjpOrderNo: z.string().nullable(),
  status: z.enum(ORDER_STATUSES),
  investor: z.object({ memberId: z.string(), nameMasked: z.string(), bankCardMasked: z.string() }),
  product: z.object({ productId: z.string(), productCode: z.string(), name: z.string(), term, dayCountBasis: z.union([z.literal(360), z.literal(365)]) }),
  amountFen: fen,
  annualRate: z.string(),
  annualRatePercent: z.string(),
  orderedAt: z.iso.datetime(),
  paidAt: z.iso.datetime().nullable(),
  interestStartDate: calendarDate,
  maturityDate: calendarDate,
  expectedInterestFen: fen,
  maturityAmountFen: fen,
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

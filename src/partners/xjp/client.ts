import { createXjpDemandClient, type XjpDemandClient } from './demand-client';
import { xjpCaller, type XjpClientOptions } from './xjp-call';
import {
  xjpAccountCheckSchema,
  xjpAccountSchema,
  xjpOrderSchema,
  xjpPaymentSchema,
  xjpProductPageSchema,
  xjpProductSchema,
  xjpRedemptionSchema,
  xjpEarlyRedemptionSchema,
  xjpStatementSchema,
  type XjpAccount,
  type XjpAccountCheck,
  type XjpOrder,
  type XjpPayment,
  type XjpProduct,
  type XjpProductPage,
  type XjpRedemption,
  type XjpEarlyRedemption,
  type XjpStatement,
} from './schemas';

/** The investor details XJP needs to open an account. */
export type OpenXjpAccountInput = {
  requestId: string;
  channel: string;
  memberId: string;
  name: string;
  mobile: string;
  idCardNo: string;
  email: string;
};

/** A subscription request: `purchaseRecordId` is our purchase record, `amountFen` integer fen. */
export type SubscribeInput = {
  requestId: string;
  purchaseRecordId: string;
  productId: string;
  accountNo: string;
  amountFen: number;
  /** A reinvestment (续投): XJP pays the subscription with this redeemed order's settlement, no cashier. */
  fundedByXjpOrderNo?: string;
};

/** Typed calls to XJP; every failure is a {@link PartnerError}. */
export interface XjpClient {
  getProduct(query: { productId: string } | { productCode: string }): Promise<XjpProduct>;
  listHomeProducts(): Promise<XjpProduct[]>;
  listProducts(query: { page: number; size: number }): Promise<XjpProductPage>;
  openAccount(input: OpenXjpAccountInput): Promise<XjpAccount>;
  /** The account check (账户检查): the account as XJP knows it; refused `ACCOUNT_NOT_FOUND` when it does not. */
  checkAccount(query: { accountNo: string }): Promise<XjpAccountCheck>;
  subscribe(input: SubscribeInput): Promise<XjpOrder>;
  cancelSubscription(input: { requestId: string; xjpOrderNo: string }): Promise<XjpOrder>;
  queryPayment(query: { xjpOrderNo: string }): Promise<XjpPayment>;
  redeem(input: { requestId: string; xjpOrderNo: string }): Promise<XjpRedemption>;
  /** Early redemption (违约赎回) as of `redemptionDate` (Shanghai; that day not earned); refusals are XJP's codes. */
  redeemEarly(input: { requestId: string; xjpOrderNo: string; redemptionDate: string }): Promise<XjpEarlyRedemption>;
  /** The daily statement of a business date (`YYYY-MM-DD`, Asia/Shanghai): subscriptions made or paid that day. */
  dailyStatement(query: { businessDate: string }): Promise<XjpStatement>;
  /** The demand product (活期) calls. */
  demand: XjpDemandClient;
}

export type { XjpClientOptions } from './xjp-call';

/** Creates an XJP client speaking docs/partner-wire.md. */
export function createXjpClient(options: XjpClientOptions): XjpClient {
  const call = xjpCaller(options);
  return {
    getProduct: (query) => call('/api/products/get', query, xjpProductSchema),
    listHomeProducts: () => call('/api/products/home', {}, xjpProductSchema.array()),
    listProducts: ({ page, size }) => call('/api/products/list', { page, size }, xjpProductPageSchema),
    // Idempotent at XJP per memberId: a repeat returns the existing account with created=false.
    openAccount: (input) => call('/api/accounts/open', input, xjpAccountSchema),
    // Money-moving, so it carries our requestId (idempotency key) and is idempotent on it and on
    // purchaseRecordId: a retry after a timeout returns the same order and never locks quota twice.
    checkAccount: ({ accountNo }) => call('/api/accounts/query', { accountNo }, xjpAccountCheckSchema),
    subscribe: (input) => call('/api/subscriptions', input, xjpOrderSchema),
    // Releases the quota lock; idempotent on requestId, and cancelling a cancelled order answers the same order.
    cancelSubscription: (input) => call('/api/subscriptions/cancel', input, xjpOrderSchema),
    queryPayment: ({ xjpOrderNo }) => call('/api/payments/query', { xjpOrderNo }, xjpPaymentSchema),
    // Money-moving and idempotent on requestId (and on the order): a retry returns the same settlement.
    redeem: (input) => call('/api/redemptions', input, xjpRedemptionSchema),
    // Idempotent on requestId like redeem: a retry answers the same settlement.
    redeemEarly: (input) => call('/api/redemptions/early', input, xjpEarlyRedemptionSchema),
    dailyStatement: ({ businessDate }) => call('/api/statements/daily', { businessDate }, xjpStatementSchema),
    demand: createXjpDemandClient(call),
  };
}

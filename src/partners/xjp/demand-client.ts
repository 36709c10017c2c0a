import {
  xjpConfirmedDemandSubscriptionSchema,
  xjpDemandFigureSchema,
  xjpDemandProductSchema,
  xjpDemandRedemptionSchema,
  xjpDemandStatementSchema,
  xjpDemandSubscriptionSchema,
  type XjpDemandFigure,
  type XjpDemandProduct,
  type XjpDemandRedemption,
  type XjpDemandStatement,
  type XjpConfirmedDemandSubscription,
  type XjpDemandSubscription,
} from './demand-schemas';
import type { XjpCall } from './xjp-call';

/** A demand subscription: `requestedAt` is the member's order time, which XJP's cut-off applies to. */
export interface DemandSubscribeInput {
  requestId: string;
  subscriptionId: string;
  productCode: string;
  accountNo: string;
  amountFen: number;
  requestedAt: string;
}

/** A demand redemption, fast (T+0) or standard (T+1). */
export interface DemandRedeemInput {
  requestId: string;
  redemptionId: string;
  productCode: string;
  accountNo: string;
  amountFen: number;
  kind: 'FAST' | 'STANDARD';
  requestedAt: string;
}

/** Typed demand-product calls to XJP; every failure is a PartnerError. */
export interface XjpDemandClient {
  getProduct(query: { productCode: string }): Promise<XjpDemandProduct>;
  /** The figure of one natural day (`YYYY-MM-DD`, Asia/Shanghai). */
  figure(query: { productCode: string; date: string }): Promise<XjpDemandFigure>;
  /** Places a subscription: XJP answers LianLian's cashier URL and the end of the payment window. */
  subscribe(input: DemandSubscribeInput): Promise<XjpDemandSubscription>;
  /** Applies a paid subscription at `paidAt`, the payment time its cut-off applies to. */
  confirmSubscription(input: {
    requestId: string;
    subscriptionId: string;
    paidAt: string;
  }): Promise<XjpConfirmedDemandSubscription>;
  /** Closes an unpaid subscription's window; answered as it stands when its payment arrived first. */
  expireSubscription(input: { requestId: string; subscriptionId: string }): Promise<XjpDemandSubscription>;
  querySubscription(query: { subscriptionId: string }): Promise<XjpDemandSubscription>;
  redeem(input: DemandRedeemInput): Promise<XjpDemandRedemption>;
  queryRedemption(query: { redemptionId: string }): Promise<XjpDemandRedemption>;
  dailyStatement(query: { businessDate: string }): Promise<XjpDemandStatement>;
}

/** The demand calls over the shared signed XJP call. */
export function createXjpDemandClient(call: XjpCall): XjpDemandClient {
  return {
    getProduct: (query) => call('/api/demand/products/get', query, xjpDemandProductSchema),
    figure: (query) => call('/api/demand/figures', query, xjpDemandFigureSchema),
    // Money-moving: idempotent at XJP on subscriptionId (and requestId), so a retry never subscribes twice.
    subscribe: (input) => call('/api/demand/subscriptions', { ...input }, xjpDemandSubscriptionSchema),
    // Idempotent at XJP on subscriptionId: a repeat answers the first outcome.
    confirmSubscription: (input) =>
      call('/api/demand/subscriptions/confirm', { ...input }, xjpConfirmedDemandSubscriptionSchema),
    expireSubscription: (input) => call('/api/demand/subscriptions/expire', { ...input }, xjpDemandSubscriptionSchema),
    querySubscription: (query) => call('/api/demand/subscriptions/query', query, xjpDemandSubscriptionSchema),
    // Money-moving: idempotent at XJP on redemptionId, so a retry never pays twice.
    redeem: (input) => call('/api/demand/redemptions', { ...input }, xjpDemandRedemptionSchema),
    queryRedemption: (query) => call('/api/demand/redemptions/query', query, xjpDemandRedemptionSchema),
    dailyStatement: (query) => call('/api/demand/statements/daily', query, xjpDemandStatementSchema),
  };
}

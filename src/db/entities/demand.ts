import { EntitySchema } from '@mikro-orm/core';
import { FenType } from '../types/fen-type';

/** One member's holding of one demand product (活期); its id is the entity workflow's id. */
export interface DemandHolding {
  /** `demand-<memberId>-<productCode>`. */
  id: string;
  memberId: string;
  productCode: string;
  accountNo: string;
  /** Units after the last posted day's income (1 unit = 1 fen). */
  unitsFen: number;
  cumulativeIncomeFen: number;
  lastIncomeDate: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const DemandHoldingSchema = new EntitySchema<DemandHolding>({
  name: 'DemandHolding',
  tableName: 'demand_holding',
  uniques: [{ name: 'demand_holding_member_id_product_code_unique', properties: ['memberId', 'productCode'] }],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    memberId: { type: 'string', columnType: 'text' },
    productCode: { type: 'string', columnType: 'text' },
    accountNo: { type: 'string', columnType: 'text' },
    unitsFen: { type: FenType },
    cumulativeIncomeFen: { type: FenType },
    lastIncomeDate: { type: 'date', columnType: 'date', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

/** One natural day's income of a holding; (holding, date) is unique so a retried post cannot double it. */
export interface DemandIncome {
  /** `<holdingId>/<date>`. */
  id: string;
  holding: DemandHolding;
  incomeDate: string;
  unitsFen: number;
  incomePer10kFen: string;
  sevenDayYield: string;
  incomeFen: number;
  postedAt: Date;
}

export const DemandIncomeSchema = new EntitySchema<DemandIncome>({
  name: 'DemandIncome',
  tableName: 'demand_income',
  uniques: [{ name: 'demand_income_holding_id_income_date_unique', properties: ['holding', 'incomeDate'] }],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    holding: { kind: 'm:1', entity: () => DemandHoldingSchema, deleteRule: 'restrict', index: false },
    incomeDate: { type: 'date', columnType: 'date' },
    unitsFen: { type: FenType },
    incomePer10kFen: { type: 'string', columnType: 'text' },
    sevenDayYield: { type: 'string', columnType: 'text' },
    incomeFen: { type: FenType },
    postedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

/** How money moves in or out of a holding. */
export const DEMAND_MOVEMENT_KINDS = ['SUBSCRIPTION', 'FAST_REDEMPTION', 'STANDARD_REDEMPTION'] as const;
export type DemandMovementKind = (typeof DEMAND_MOVEMENT_KINDS)[number];

/** A subscription or redemption XJP confirmed, with the dates its cut-off gave it. */
export interface DemandMovement {
  /** The platform's subscription or redemption id (sent to XJP, which is idempotent on it). */
  id: string;
  holding: DemandHolding;
  kind: DemandMovementKind;
  amountFen: number;
  requestedAt: Date;
  tradeDate: string;
  /** Subscriptions: the first earning day; redemptions: the first day the units earn nothing. */
  effectiveDate: string;
  /** Redemptions: when XJP pays the member; null for subscriptions. */
  payDate: string | null;
  xjpReference: string;
  createdAt: Date;
}

export const DemandMovementSchema = new EntitySchema<DemandMovement>({
  name: 'DemandMovement',
  tableName: 'demand_movement',
  indexes: [{ name: 'demand_movement_holding_id_requested_at_index', properties: ['holding', 'requestedAt'] }],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    holding: { kind: 'm:1', entity: () => DemandHoldingSchema, deleteRule: 'restrict', index: false },
    kind: { enum: true, items: () => [...DEMAND_MOVEMENT_KINDS], columnType: 'text' },
    amountFen: { type: FenType },
    requestedAt: { type: 'datetime', columnType: 'timestamptz' },
    tradeDate: { type: 'date', columnType: 'date' },
    effectiveDate: { type: 'date', columnType: 'date' },
    payDate: { type: 'date', columnType: 'date', nullable: true },
    xjpReference: { type: 'string', columnType: 'text', unique: 'demand_movement_xjp_reference_unique' },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

/**
 * Where a demand subscription stands in the engine: placed and AWAITING_PAYMENT at LianLian's
 * cashier; CONFIRMED (its units count, a movement row holds its dates); EXPIRED (the window closed
 * unpaid); REFUSED (paid, XJP refused it: the money is refunded); PAID_AFTER_EXPIRY (money arrived
 * after the window closed: refunded).
 */
export const DEMAND_SUBSCRIPTION_STATUSES = [
  'AWAITING_PAYMENT',
  'CONFIRMED',
  'EXPIRED',
  'REFUSED',
  'PAID_AFTER_EXPIRY',
] as const;
export type DemandSubscriptionStatus = (typeof DEMAND_SUBSCRIPTION_STATUSES)[number];

/** A demand subscription from placement to its end, with its payment; what the notification route matches. */
export interface DemandSubscription {
  /** The platform's subscription id (sent to XJP, named in XJP's payment notification). */
  id: string;
  holding: DemandHolding;
  amountFen: number;
  xjpSubscriptionNo: string;
  status: DemandSubscriptionStatus;
  paymentUrl: string;
  requestedAt: Date;
  payBefore: Date;
  /** The payment time the cut-off applied to (when XJP's notification or query told the holding). */
  paidAt: Date | null;
  paymentBillNo: string | null;
  /** XJP's refusal of a paid subscription, or why the money went back. */
  reasonCode: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const DemandSubscriptionSchema = new EntitySchema<DemandSubscription>({
  name: 'DemandSubscription',
  tableName: 'demand_subscription',
  indexes: [{ name: 'demand_subscription_holding_id_index', properties: ['holding'] }],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    holding: { kind: 'm:1', entity: () => DemandHoldingSchema, deleteRule: 'restrict', index: false },
    amountFen: { type: FenType },
    xjpSubscriptionNo: { type: 'string', columnType: 'text', unique: 'demand_subscription_xjp_subscription_no_unique' },
    status: { enum: true, items: () => [...DEMAND_SUBSCRIPTION_STATUSES], columnType: 'text' },
    paymentUrl: { type: 'string', columnType: 'text' },
    requestedAt: { type: 'datetime', columnType: 'timestamptz' },
    payBefore: { type: 'datetime', columnType: 'timestamptz' },
    paidAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    paymentBillNo: { type: 'string', columnType: 'text', nullable: true },
    reasonCode: { type: 'string', columnType: 'text', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

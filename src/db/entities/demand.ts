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

import { EntitySchema } from '@mikro-orm/core';
import { FenType } from '../types/fen-type';
import type { PurchaseOrder } from './purchase-order';
import { PurchaseOrderSchema } from './purchase-order';

/** REQUESTED before XJP answered, SETTLED once it settled the redemption. */
export const REDEMPTION_STATUSES = ['REQUESTED', 'SETTLED'] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];

/** The redemption (赎回) of an order at XJP, at maturity or early: at most one per order. */
export interface Redemption {
  id: string;
  order: PurchaseOrder;
  xjpRedemptionId: string | null;
  principalFen: number;
  interestFen: number;
  /** An early redemption's fee on principal, which XJP keeps from the total (0 otherwise). */
  penaltyFen: number;
  totalFen: number;
  /** Set for an early redemption: the day accrual stopped (not earned). */
  redemptionDate: string | null;
  status: RedemptionStatus;
  requestedAt: Date;
  settledAt: Date | null;
  updatedAt: Date;
}

export const RedemptionSchema = new EntitySchema<Redemption>({
  name: 'Redemption',
  tableName: 'redemption',
  checks: [
    { name: 'redemption_total_is_sum', expression: 'total_fen = principal_fen + interest_fen - penalty_fen' },
    {
      name: 'redemption_amounts_non_negative',
      expression: 'principal_fen >= 0 and interest_fen >= 0 and penalty_fen >= 0 and total_fen >= 0',
    },
  ],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    order: {
      kind: 'm:1',
      entity: () => PurchaseOrderSchema,
      deleteRule: 'restrict',
      unique: 'redemption_order_id_unique',
    },
    xjpRedemptionId: {
      type: 'string',
      columnType: 'text',
      nullable: true,
      unique: 'redemption_xjp_redemption_id_unique',
    },
    principalFen: { type: FenType },
    interestFen: { type: FenType },
    penaltyFen: { type: FenType, default: 0 },
    totalFen: { type: FenType },
    redemptionDate: { type: 'date', columnType: 'date', nullable: true },
    status: { enum: true, items: () => [...REDEMPTION_STATUSES], columnType: 'text' },
    requestedAt: { type: 'datetime', columnType: 'timestamptz' },
    settledAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    updatedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

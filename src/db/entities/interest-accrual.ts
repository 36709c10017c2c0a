import { EntitySchema } from '@mikro-orm/core';
import { FenType } from '../types/fen-type';
import type { PurchaseOrder } from './purchase-order';
import { PurchaseOrderSchema } from './purchase-order';

/** One accrual day of one order; (order, accrual date) is unique so a retried post cannot double it. */
export interface InterestAccrual {
  id: string;
  order: PurchaseOrder;
  accrualDate: string;
  /** 1 for the interest start date, counting up to the maturity day count. */
  dayIndex: number;
  amountFen: number;
  cumulativeFen: number;
  postedAt: Date;
}

export const InterestAccrualSchema = new EntitySchema<InterestAccrual>({
  name: 'InterestAccrual',
  tableName: 'interest_accrual',
  uniques: [{ name: 'interest_accrual_order_id_accrual_date_unique', properties: ['order', 'accrualDate'] }],
  checks: [
    { name: 'interest_accrual_day_index_positive', expression: 'day_index > 0' },
    { name: 'interest_accrual_amount_fen_non_negative', expression: 'amount_fen >= 0' },
    { name: 'interest_accrual_cumulative_covers_amount', expression: 'cumulative_fen >= amount_fen' },
  ],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    order: { kind: 'm:1', entity: () => PurchaseOrderSchema, deleteRule: 'restrict', index: false },
    accrualDate: { type: 'date', columnType: 'date' },
    dayIndex: { type: 'integer' },
    amountFen: { type: FenType },
    cumulativeFen: { type: FenType },
    postedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

import { EntitySchema } from '@mikro-orm/core';
import { SignedFenType } from '../types/fen-type';
import type { PurchaseOrder } from './purchase-order';
import { PurchaseOrderSchema } from './purchase-order';

/**
 * A signed correction of an order's interest ledger, made by finance: accrual rows are never edited,
 * so the ledger's interest is the last accrual's cumulative figure plus the sum of these rows.
 */
export interface LedgerCorrection {
  id: string;
  order: PurchaseOrder;
  /** Positive adds interest, negative takes it away; never zero. */
  amountFen: number;
  operator: string;
  reason: string;
  /** Where the evidence lives (a ticket, a bank slip number). */
  evidenceRef: string;
  createdAt: Date;
}

export const LedgerCorrectionSchema = new EntitySchema<LedgerCorrection>({
  name: 'LedgerCorrection',
  tableName: 'ledger_correction',
  indexes: [{ name: 'ledger_correction_order_id_index', properties: ['order'] }],
  checks: [{ name: 'ledger_correction_amount_non_zero', expression: 'amount_fen <> 0' }],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    order: { kind: 'm:1', entity: () => PurchaseOrderSchema, deleteRule: 'restrict', index: false },
    amountFen: { type: SignedFenType },
    operator: { type: 'string', columnType: 'text' },
    reason: { type: 'string', columnType: 'text' },
    evidenceRef: { type: 'string', columnType: 'text' },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

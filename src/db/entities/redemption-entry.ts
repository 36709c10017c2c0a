import { EntitySchema } from '@mikro-orm/core';
import { SignedFenType } from '../types/fen-type';
import type { PurchaseOrder } from './purchase-order';
import { PurchaseOrderSchema } from './purchase-order';

/**
 * What a redemption books beside XJP's settlement, one row per kind and order (a retried activity
 * never books twice), never edited:
 * - INTEREST_REVERSAL (negative): interest posted but not earned when the order was redeemed early;
 * - EARLY_REDEMPTION_PENALTY (positive): the early-redemption fee on principal, kept from the payout;
 * - SERVICE_FEE (positive): the product's service fee, kept from the payout.
 */
export const REDEMPTION_ENTRY_KINDS = ['INTEREST_REVERSAL', 'EARLY_REDEMPTION_PENALTY', 'SERVICE_FEE'] as const;
export type RedemptionEntryKind = (typeof REDEMPTION_ENTRY_KINDS)[number];

export interface RedemptionEntry {
  id: string;
  order: PurchaseOrder;
  kind: RedemptionEntryKind;
  amountFen: number;
  createdAt: Date;
}

export const RedemptionEntrySchema = new EntitySchema<RedemptionEntry>({
  name: 'RedemptionEntry',
  tableName: 'redemption_entry',
  uniques: [{ name: 'redemption_entry_order_id_kind_unique', properties: ['order', 'kind'] }],
  checks: [
    {
      name: 'redemption_entry_sign_by_kind',
      expression: "(kind = 'INTEREST_REVERSAL' and amount_fen < 0) or (kind <> 'INTEREST_REVERSAL' and amount_fen > 0)",
    },
  ],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    order: { kind: 'm:1', entity: () => PurchaseOrderSchema, deleteRule: 'restrict', index: false },
    kind: { enum: true, items: () => [...REDEMPTION_ENTRY_KINDS], columnType: 'text' },
    amountFen: { type: SignedFenType },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

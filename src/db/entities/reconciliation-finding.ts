import { EntitySchema } from '@mikro-orm/core';
import { FINDING_CATEGORIES, FINDING_KINDS, RECONCILIATION_SIDES, type Finding } from '../../reconciliation/findings';
import { FenType } from '../types/fen-type';
import type { ReconciliationRun } from './reconciliation-run';
import { ReconciliationRunSchema } from './reconciliation-run';

/**
 * One finding of a reconciliation run (see src/reconciliation/findings.ts). Deleted with its run, so
 * replacing a date's run replaces its findings in the same transaction.
 */
export interface ReconciliationFinding extends Finding {
  id: string;
  run: ReconciliationRun;
  businessDate: string;
}

export const ReconciliationFindingSchema = new EntitySchema<ReconciliationFinding>({
  name: 'ReconciliationFinding',
  tableName: 'reconciliation_finding',
  indexes: [{ name: 'reconciliation_finding_business_date_kind_index', properties: ['businessDate', 'kind'] }],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    run: { kind: 'm:1', entity: () => ReconciliationRunSchema, deleteRule: 'cascade' },
    businessDate: { type: 'date', columnType: 'date' },
    side: { enum: true, items: () => [...RECONCILIATION_SIDES], columnType: 'text' },
    category: { enum: true, items: () => [...FINDING_CATEGORIES], columnType: 'text' },
    kind: { enum: true, items: () => [...FINDING_KINDS], columnType: 'text' },
    reference: { type: 'string', columnType: 'text' },
    partnerReference: { type: 'string', columnType: 'text', nullable: true },
    ourAmountFen: { type: FenType, nullable: true },
    partnerAmountFen: { type: FenType, nullable: true },
    ourStatus: { type: 'string', columnType: 'text', nullable: true },
    partnerStatus: { type: 'string', columnType: 'text', nullable: true },
    detail: { type: 'string', columnType: 'text', nullable: true },
  },
});

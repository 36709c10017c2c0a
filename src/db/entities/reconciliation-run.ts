import { EntitySchema } from '@mikro-orm/core';

/**
 * The summary of one business date's reconciliation (对账): when it ran and how many findings of each
 * kind it raised (both sides together). One row per date; a re-run replaces it with its findings.
 */
export interface ReconciliationRun {
  id: string;
  /** The Asia/Shanghai business date reconciled, `YYYY-MM-DD`. */
  businessDate: string;
  /** The Temporal workflow that produced it, for the operator to open in the Web UI. */
  workflowId: string;
  matchedCount: number;
  missingAtPartnerCount: number;
  missingAtUsCount: number;
  amountMismatchCount: number;
  statusMismatchCount: number;
  dateMismatchCount: number;
  duplicateCount: number;
  completedAt: Date;
}

export const ReconciliationRunSchema = new EntitySchema<ReconciliationRun>({
  name: 'ReconciliationRun',
  tableName: 'reconciliation_run',
  checks: [
    {
      name: 'reconciliation_run_counts_non_negative',
      expression:
        'matched_count >= 0 and missing_at_partner_count >= 0 and missing_at_us_count >= 0 and amount_mismatch_count >= 0 and status_mismatch_count >= 0 and duplicate_count >= 0 and date_mismatch_count >= 0',
    },
  ],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    businessDate: { type: 'date', columnType: 'date', unique: 'reconciliation_run_business_date_unique' },
    workflowId: { type: 'string', columnType: 'text' },
    matchedCount: { type: 'integer' },
    missingAtPartnerCount: { type: 'integer' },
    missingAtUsCount: { type: 'integer' },
    amountMismatchCount: { type: 'integer' },
    statusMismatchCount: { type: 'integer' },
    duplicateCount: { type: 'integer' },
    dateMismatchCount: { type: 'integer' },
    completedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

import { defineSignal } from '@temporalio/workflow';

/** LianLian's payout result as relayed by the API (or learned from a query). */
export interface PayoutNotice {
  notificationId: string;
  payoutId: string;
  resultPay: string;
}

/** What the payout stage may be waiting for. */
export type PayoutAwaiting = 'PAYOUT_RESULT' | 'OPERATOR_RETRY' | 'NOTHING';

/** The payout figures the stage shows on the run it belongs to. */
export interface PayoutProgress {
  payoutId?: string;
  payoutAttempts: number;
}

export const payoutNotifiedSignal = defineSignal<[PayoutNotice]>('payoutNotified');
export const operatorRetryPayoutSignal = defineSignal<[{ operator: string }]>('operatorRetryPayout');

import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ReconciliationActivities } from '../../activities/reconciliation';
import { isCalendarDate } from '../../src/domain/calendar';
import { previousBusinessDate, type ReconciliationInput, type ReconciliationSummary } from './contract';

/** Set by Temporal on every run a Schedule starts: the time the run was due (not when it began). */
const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** Statements can be large and partners slow; a stuck call is retried rather than waited on for long. */
const { collectXjpFindings, collectLianLianFindings, collectRefundFindings, collectDemandFindings } =
  proxyActivities<ReconciliationActivities>({
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 20 },
  });

/** A database write: quick, retried until it lands. */
const { storeReconciliation } = proxyActivities<ReconciliationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** When this run was due: the schedule's slot (so a late start still reconciles the right day), else its start. */
function dueTime(): Date {
  const info = workflowInfo();
  return info.typedSearchAttributes.get(SCHEDULED_START_TIME) ?? info.runStartTime;
}

/**
 * Reconciles one business date (对账): XJP's subscriptions, payments and redemptions, LianLian's
 * payouts and refunds, and XJP's demand statement (活期 movements and income), against our books, then replaces that date's findings. It never moves money:
 * discrepancies are stored for an operator and alerted. Without a date (a scheduled run) it reconciles yesterday, Asia/Shanghai.
 */
export async function reconciliationWorkflow(input: ReconciliationInput = {}): Promise<ReconciliationSummary> {
  const businessDate = input.businessDate ?? previousBusinessDate(dueTime());
  if (!isCalendarDate(businessDate)) {
    throw ApplicationFailure.nonRetryable(`not a business date: ${businessDate}`, 'INVALID_BUSINESS_DATE');
  }
  const [xjp, payouts, refunds, demand] = await Promise.all([
    collectXjpFindings({ businessDate }),
    collectLianLianFindings({ businessDate }),
    collectRefundFindings({ businessDate }),
    collectDemandFindings({ businessDate }),
  ]);
  const findings = [...xjp, ...payouts, ...refunds, ...demand];
  return storeReconciliation({ businessDate, workflowId: workflowInfo().workflowId, findings });
}

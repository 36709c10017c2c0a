/** The workflow bundle's entry point: every workflow type the worker registers. */
export { accrualPostingWorkflow } from './accrual/workflow';
export { payoutWorkflow } from './payout/workflow';
export { purchaseWorkflow } from './purchase/workflow';
export { reconciliationWorkflow } from './reconciliation/workflow';
export { refundWorkflow } from './refund/workflow';
export { missingRunSweepWorkflow } from './missing-runs/workflow';
export { webhookDispatchWorkflow } from './webhooks/workflow';
export { demandHoldingWorkflow } from './demand/workflow';
export { demandPayoutWorkflow } from './demand-payout/workflow';

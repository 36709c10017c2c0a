/**
 * What an operator may do (seed 003: 运营, 财务, 客服). `viewer` (客服) reads orders and the overview;
 * `operator` (运营) also takes the decisions a workflow waits for; `finance` (财务) takes the actions
 * that move money (manual payouts, refunds, ledger corrections). Each role is granted on its own:
 * a finance key is not an operator key, so who may move money stays a short, explicit list.
 */
export const OPERATOR_ROLES = ['viewer', 'operator', 'finance'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

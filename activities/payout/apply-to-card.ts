import { ApplicationFailure } from '@temporalio/activity';
import { PARTNER_ERROR_CODES } from '../../src/partners/errors';
import {
  type ApplyPayoutInput,
  LIANLIAN_RET_CODES,
  type LianLianClient,
  type PayoutResult,
} from '../../src/partners/lianlian';
import { callPartner } from '../partner-failure';

/** Refusals of an application that leave its outcome open: the payout id may already be paying (4002), or the answer was unreadable. */
const OUTCOME_UNKNOWN_CODES: ReadonlySet<string> = new Set([
  LIANLIAN_RET_CODES.CONFLICTING_PAYOUT,
  PARTNER_ERROR_CODES.MALFORMED_RESPONSE,
]);

/** Records one answer to an apply in the payout's own rows (LianLian's bill number, or the call's error). */
export type RecordApplyAnswer = (
  status: PayoutResult | 'PENDING',
  extra: { lianlianBillNo?: string; error?: string },
) => Promise<void>;

/**
 * Applies one payout to a card at LianLian (idempotent there on the payout id) and records the answer:
 * LianLian's state; UNKNOWN when the answer leaves the outcome open (4002, malformed), for the
 * workflow to follow by query; FAILURE when the card is refused (LianLian created nothing).
 */
export async function applyToCard(
  lianlian: LianLianClient,
  apply: ApplyPayoutInput,
  record: RecordApplyAnswer,
): Promise<{ resultPay: PayoutResult | 'UNKNOWN' }> {
  try {
    const applied = await callPartner(() => lianlian.applyPayout(apply));
    await record(applied.resultPay, { lianlianBillNo: applied.lianlianBillNo });
    return { resultPay: applied.resultPay };
  } catch (err) {
    if (!(err instanceof ApplicationFailure) || err.type === undefined || err.type === null) throw err;
    if (OUTCOME_UNKNOWN_CODES.has(err.type)) {
      await record('PENDING', { error: err.message });
      return { resultPay: 'UNKNOWN' };
    }
    if (err.type === LIANLIAN_RET_CODES.INVALID_CARD) {
      await record('FAILURE', { error: err.message });
      return { resultPay: 'FAILURE' };
    }
    throw err;
  }
}

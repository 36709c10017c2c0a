import { ApplicationFailure } from '@temporalio/activity';
import { PartnerError } from '../src/partners/errors';

/**
 * Calls a partner; a FINAL refusal becomes a non-retryable failure typed with the partner's
 * reason code (the workflow's stable refusal code), anything transient is left for Temporal to retry.
 */
export async function callPartner<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof PartnerError && !err.retryable) {
      throw ApplicationFailure.nonRetryable(err.message, err.code, {
        partner: err.partner,
        httpStatus: err.httpStatus,
      });
    }
    throw err;
  }
}

/** True when `err` is a partner's final refusal with this code. */
export function isRefusal(err: unknown, code: string): boolean {
  return err instanceof PartnerError && !err.retryable && err.code === code;
}

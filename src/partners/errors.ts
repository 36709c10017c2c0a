/** The partners the engine calls. */
export type PartnerName = 'XJP' | 'LIANLIAN';

/**
 * Whether repeating the same call may succeed. Every money-moving call is idempotent on our
 * reference, so a RETRYABLE failure is safe to repeat; a FINAL one would fail the same way again.
 */
export type PartnerErrorClassification = 'RETRYABLE' | 'FINAL';

/** Codes the clients raise themselves (partner refusals keep the partner's own reason code). */
export const PARTNER_ERROR_CODES = {
  /** No complete answer within the call's timeout: the call may or may not have taken effect. */
  TIMEOUT: 'TIMEOUT',
  /** Connection refused, reset or otherwise broken before an answer arrived. */
  NETWORK: 'NETWORK',
  /** The partner answered 5xx: its own trouble, not a verdict on our request. */
  HTTP_5XX: 'HTTP_5XX',
  /** The answer did not match the wire contract (bad JSON, wrong shape, unexpected status). */
  MALFORMED_RESPONSE: 'MALFORMED_RESPONSE',
} as const;

/** Details of a failed partner call. */
export interface PartnerErrorDetails {
  partner: PartnerName;
  classification: PartnerErrorClassification;
  /** The partner's reason code (e.g. `QUOTA_EXCEEDED`, `4001`) or one of {@link PARTNER_ERROR_CODES}. */
  code: string;
  message: string;
  httpStatus?: number;
}

/** A partner call that did not produce a valid answer; the only error the clients throw. */
export class PartnerError extends Error {
  override readonly name = 'PartnerError';
  readonly partner: PartnerName;
  readonly classification: PartnerErrorClassification;
  readonly code: string;
  readonly httpStatus?: number;

  constructor(details: PartnerErrorDetails) {
    super(`${details.partner} ${details.code}: ${details.message}`);
    this.partner = details.partner;
    this.classification = details.classification;
    this.code = details.code;
    if (details.httpStatus !== undefined) this.httpStatus = details.httpStatus;
  }

  /** True when repeating the same (idempotent) call may succeed. */
  get retryable(): boolean {
    return this.classification === 'RETRYABLE';
  }
}

/**
 * A response that breaks the wire contract. FINAL because the same request would get the same
 * answer: the partner speaks a different contract version, which needs people, not retries. For
 * a money-moving call the effect may still have happened at the partner, so the caller settles
 * it by querying (the calls are idempotent on our reference, so a later re-run is safe).
 */
export function malformedResponse(partner: PartnerName, message: string, httpStatus?: number): PartnerError {
  return new PartnerError({
    partner,
    classification: 'FINAL',
    code: PARTNER_ERROR_CODES.MALFORMED_RESPONSE,
    message,
    ...(httpStatus === undefined ? {} : { httpStatus }),
  });
}

import { PARTNER_ERROR_CODES, PartnerError, malformedResponse, type PartnerName } from './errors';
import { withSignature, type SignableFields } from './signing';

/** One signed JSON POST to a partner. */
export interface SignedPostRequest {
  partner: PartnerName;
  url: string;
  /** The body without `sign`; the platform's signature is added here. */
  fields: SignableFields;
  platformPrivateKeyPem: string;
  /** Bounds the whole exchange, body included: a partner that stalls mid-answer is a timeout too. */
  timeoutMs: number;
}

/** A partner's answer that is neither a 5xx nor unreadable; its meaning is the caller's to judge. */
export interface PartnerHttpAnswer {
  status: number;
  body: unknown;
}

function isAbort(error: unknown): boolean {
  // AbortSignal.timeout rejects with a DOMException named TimeoutError (AbortError when aborted).
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function transportError(partner: PartnerName, url: string, timeoutMs: number, error: unknown): PartnerError {
  if (isAbort(error)) {
    return new PartnerError({
      partner,
      classification: 'RETRYABLE',
      code: PARTNER_ERROR_CODES.TIMEOUT,
      message: `no answer from ${url} within ${timeoutMs} ms`,
    });
  }
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return new PartnerError({
    partner,
    classification: 'RETRYABLE',
    code: PARTNER_ERROR_CODES.NETWORK,
    message: `${url} unreachable${cause}`,
  });
}

/**
 * Signs `fields`, POSTs them as JSON and returns the parsed answer. Throws a RETRYABLE
 * {@link PartnerError} on timeout, network failure or 5xx, and MALFORMED_RESPONSE when the
 * answer is not JSON.
 */
export async function postSignedJson(request: SignedPostRequest): Promise<PartnerHttpAnswer> {
  const { partner, url, timeoutMs } = request;
  const body = JSON.stringify(withSignature(request.fields, request.platformPrivateKeyPem));
  let status: number;
  let text: string;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
      // A redirect is not part of either contract; surface it as an unexpected status.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    throw transportError(partner, url, timeoutMs, error);
  }
  if (status >= 500) {
    throw new PartnerError({
      partner,
      classification: 'RETRYABLE',
      code: PARTNER_ERROR_CODES.HTTP_5XX,
      message: `${url} answered ${status}`,
      httpStatus: status,
    });
  }
  try {
    return { status, body: JSON.parse(text) as unknown };
  } catch {
    throw malformedResponse(partner, `${url} answered ${status} with a body that is not JSON`, status);
  }
}

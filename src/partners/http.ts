import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
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

function causeText(error: unknown): string {
  // Duck-typed: fetch's errors come from Node's realm, where `instanceof Error` of another realm (jest's) fails.
  const cause: unknown = typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
  return typeof cause === 'object' && cause !== null && 'message' in cause ? `: ${String(cause.message)}` : '';
}

function transportError(
  partner: PartnerName,
  url: string,
  timeoutMs: number,
  timedOut: boolean,
  error: unknown,
): PartnerError {
  if (timedOut) {
    return new PartnerError({
      partner,
      classification: 'RETRYABLE',
      code: PARTNER_ERROR_CODES.TIMEOUT,
      message: `no answer from ${url} within ${timeoutMs} ms`,
    });
  }
  return new PartnerError({
    partner,
    classification: 'RETRYABLE',
    code: PARTNER_ERROR_CODES.NETWORK,
    message: `${url} unreachable${causeText(error)}`,
  });
}

const TRACER_NAME = 'xjp-order-engine/partners';

/**
 * Signs `fields`, POSTs them as JSON and returns the parsed answer. Throws a RETRYABLE
 * {@link PartnerError} on timeout, network failure or 5xx, and MALFORMED_RESPONSE when the
 * answer is not JSON. With tracing on, the exchange is a client span in the activity's trace; no
 * trace header goes to the partner, which is outside our systems.
 */
export function postSignedJson(request: SignedPostRequest): Promise<PartnerHttpAnswer> {
  const path = new URL(request.url).pathname;
  return trace
    .getTracer(TRACER_NAME)
    .startActiveSpan(
      `POST ${request.partner} ${path}`,
      { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'POST', 'url.path': path } },
      async (span) => {
        try {
          const answer = await exchange(request);
          span.setAttribute('http.response.status_code', answer.status);
          return answer;
        } catch (err) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
          throw err;
        } finally {
          span.end();
        }
      },
    );
}

async function exchange(request: SignedPostRequest): Promise<PartnerHttpAnswer> {
  const { partner, url, timeoutMs } = request;
  const body = JSON.stringify(withSignature(request.fields, request.platformPrivateKeyPem));
  // The signal itself says whether the time ran out, whatever shape the resulting error takes.
  const signal = AbortSignal.timeout(timeoutMs);
  let status: number;
  let text: string;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
      // A redirect is not part of either contract; surface it as an unexpected status.
      redirect: 'manual',
      signal,
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    throw transportError(partner, url, timeoutMs, signal.aborted, error);
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

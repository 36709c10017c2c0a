import { defaultPayloadConverter, type Headers } from '@temporalio/common';

/**
 * The Temporal header the API's request id travels in: from the client call (start, update, signal)
 * to the workflow, and from the workflow to the activities and child workflows it starts, so their log
 * lines name the request that caused them. Headers are not run through the payload codec: an id is
 * no secret.
 */
export const REQUEST_ID_HEADER_KEY = 'xjp-request-id';

/** The request id a call's headers carry, if any. */
export function requestIdOf(headers: Headers): string | undefined {
  const payload = headers[REQUEST_ID_HEADER_KEY];
  if (payload === undefined) return undefined;
  const value: unknown = defaultPayloadConverter.fromPayload(payload);
  return typeof value === 'string' ? value : undefined;
}

/** `headers` with the request id added; the same headers when there is none. */
export function withRequestId(headers: Headers, requestId: string | undefined): Headers {
  if (requestId === undefined) return headers;
  return { ...headers, [REQUEST_ID_HEADER_KEY]: defaultPayloadConverter.toPayload(requestId) };
}

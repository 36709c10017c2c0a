/**
 * Which failures are an outage of a part we depend on (503 with a code: the caller retries with the
 * same Idempotency-Key) and which are input PostgreSQL refused as data (400), rather than a 500.
 */

/** gRPC status codes: the server cannot be reached, did not answer in time, or is overloaded (a full query buffer). */
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_RESOURCE_EXHAUSTED = 8;

/** What the pg driver and the pool say, without a code, when the server went away under them. */
const DATABASE_GONE =
  /Connection terminated|connection error and is not queryable|Client was closed|timeout exceeded when trying to connect|Timeout acquiring a connection/;
/** What the Temporal client says when the server or every worker is away (a query no worker answers), or it sheds load. */
const TEMPORAL_GONE =
  /\b(UNAVAILABLE|DEADLINE_EXCEEDED|RESOURCE_EXHAUSTED)\b|query timed out|No connection established/i;

/** SQLSTATE classes 08 (connection) and 57P (operator intervention: shutdown, recovery), plus socket errors. */
const DATABASE_DOWN = /^(08\d\d\d|57P0[1-4]|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH)$/;
/** SQLSTATE class 22 (data exception: NUL byte, value out of range, bad date) and 08P01 (a protocol violation a NUL causes). */
const DATA_REFUSED = /^(22[0-9A-Z]{3}|08P01)$/;

/** A classified failure: the status and code the API answers with. */
export interface Classified {
  status: number;
  code: 'TEMPORAL_UNAVAILABLE' | 'DATABASE_UNAVAILABLE' | 'VALIDATION_FAILED';
  message: string;
}

/** The error and every `cause` under it (bounded: causes may nest, never loop for ever). */
function chain(err: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth += 1) {
    const record = current as Record<string, unknown>;
    found.push(record);
    current = record.cause;
  }
  return found;
}

function isTemporalOutage(links: Record<string, unknown>[]): boolean {
  return links.some((link) => {
    const grpc =
      [GRPC_UNAVAILABLE, GRPC_DEADLINE_EXCEEDED, GRPC_RESOURCE_EXHAUSTED].includes(link.code as number) &&
      'details' in link;
    return (
      grpc ||
      (typeof link.message === 'string' && TEMPORAL_GONE.test(link.message) && !DATABASE_GONE.test(link.message))
    );
  });
}

function isDatabaseOutage(links: Record<string, unknown>[]): boolean {
  return links.some(
    (link) =>
      (typeof link.code === 'string' && DATABASE_DOWN.test(link.code)) ||
      (typeof link.message === 'string' && DATABASE_GONE.test(link.message)) ||
      link.name === 'ConnectionException' ||
      link.name === 'KnexTimeoutError',
  );
}

/** The answer for an outage or a refused value, or undefined for anything else (a real 500). */
export function classifyFailure(err: unknown): Classified | undefined {
  const links = chain(err);
  if (links.some((link) => typeof link.code === 'string' && DATA_REFUSED.test(link.code))) {
    return {
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'a value in the request cannot be stored or compared (out of range or not text)',
    };
  }
  if (isDatabaseOutage(links))
    return {
      status: 503,
      code: 'DATABASE_UNAVAILABLE',
      message: 'the database is unavailable; retry with the same Idempotency-Key',
    };
  if (isTemporalOutage(links))
    return {
      status: 503,
      code: 'TEMPORAL_UNAVAILABLE',
      message: 'the workflow service is unavailable; retry with the same Idempotency-Key',
    };
  return undefined;
}

import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './request-context';

/**
 * Field names that carry personal data or credentials, matched at any depth of a log object (a
 * partner body nested in an error nested in a request is still masked). Names count: an
 * investor's name with an order number identifies them. A member token or signature replays
 * within its lifetime, so it counts as a credential.
 */
const REDACTED_KEYS = new Set(
  [
    'idCardNo',
    'id_no',
    'mobile',
    'cardNo',
    'bankCardNo',
    'card_no',
    'email',
    'name',
    'investorName',
    'accountName',
    'account_name',
    'acct_name',
    'payeeName',
    'x-api-key',
    'x-operator-key',
    'x-member-signature',
    'authorization',
    'cookie',
  ].map((key) => key.toLowerCase()),
);
const CENSOR = '[masked]';
/** Deeper than any object we log; a bound so a pathological object cannot stall a log call. */
const MAX_DEPTH = 12;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A copy of `value` with every redacted key's value masked, at any depth (plain objects and arrays). */
export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1, seen));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      REDACTED_KEYS.has(key.toLowerCase()) ? CENSOR : redactDeep(inner, depth + 1, seen),
    ]),
  );
}

/** Where log lines go and at which level; tests pass a stream to read the lines they assert on. */
export interface LoggerOptions {
  level?: string;
  destination?: DestinationStream;
}

/**
 * The request id of the request being served (see request-context.ts) and, when tracing is on, the
 * trace the line belongs to: on every line written while serving it, so a line leads to its trace.
 */
function correlationFields(): { requestId?: string; traceId?: string } {
  const requestId = currentRequestId();
  const span = trace.getActiveSpan()?.spanContext();
  return {
    ...(requestId === undefined ? {} : { requestId }),
    ...(span === undefined || !isSpanContextValid(span) ? {} : { traceId: span.traceId }),
  };
}

/**
 * The engine's structured JSON logger; quiet under tests unless LOG_LEVEL says otherwise. A line written
 * while a request or an activity is served carries its `requestId` (and `traceId` when tracing is on).
 */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  const config = {
    name,
    level: options.level ?? process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    mixin: correlationFields,
    formatters: { log: (object: Record<string, unknown>) => redactDeep(object) as Record<string, unknown> },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

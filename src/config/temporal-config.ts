import { z } from 'zod';

/**
 * How the engine reaches Temporal and how its worker runs: the keys a deployment on a secured
 * cluster or Temporal Cloud sets. Kept apart from the engine's own keys (src/config/config.ts),
 * which spreads this shape into the one schema.
 */

/** Secrets among these keys: never logged. */
export const TEMPORAL_SECRET_KEYS = ['TEMPORAL_TLS_KEY', 'TEMPORAL_API_KEY', 'TEMPORAL_PAYLOAD_KEYS'] as const;

const pem = z.string().includes('-----BEGIN', { message: 'must be a PEM block' });
const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().min(0);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** `id:base64` pairs; the id names the key in each payload's metadata, so keys can be rotated. */
const payloadKeys = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((pair) => pair.trim())
      .filter((pair) => pair.length > 0),
  )
  .pipe(
    z.array(
      z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,64}:[A-Za-z0-9+/=]+$/, 'each entry must be id:base64key')
        .refine((pair) => Buffer.from(pair.slice(pair.indexOf(':') + 1), 'base64').length === 32, {
          message: 'each key must be 32 bytes, base64-encoded',
        }),
    ),
  )
  .transform((pairs) =>
    pairs.map((pair) => ({
      id: pair.slice(0, pair.indexOf(':')),
      key: Buffer.from(pair.slice(pair.indexOf(':') + 1), 'base64'),
    })),
  )
  .refine((keys) => new Set(keys.map((k) => k.id)).size === keys.length, { message: 'key ids must be unique' });

/** The Temporal connection, payload encryption and worker keys. */
export const temporalConfigShape = {
  /** Turns TLS on without client certificates (Temporal Cloud with an API key); implied by a certificate or CA. */
  TEMPORAL_TLS: flag.default(false),
  /** Client certificate for mTLS (PEM); needs TEMPORAL_TLS_KEY. */
  TEMPORAL_TLS_CERT: pem.optional(),
  /** Private key of the client certificate (PEM). */
  TEMPORAL_TLS_KEY: pem.optional(),
  /** CA that signed the server's certificate, when it is not a public one (PEM). */
  TEMPORAL_TLS_CA: pem.optional(),
  /** The name the server's certificate must carry, when it differs from TEMPORAL_ADDRESS's host. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** Temporal Cloud API key (sent as a bearer token; implies TLS). */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  /**
   * Comma-separated `id:base64` AES-256 keys for payload encryption; the first encrypts, all
   * decrypt (rotation: put the new key first, keep the old ones until no history needs them).
   * Empty: payloads are stored as plain JSON.
   */
  TEMPORAL_PAYLOAD_KEYS: payloadKeys,
  /** Origins allowed to call the codec endpoint from a browser (the Temporal Web UI), comma-separated. */
  TEMPORAL_CODEC_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o.length > 0),
    )
    .pipe(z.array(z.url())),
  /** Activities one worker runs at once. */
  TEMPORAL_WORKER_MAX_CONCURRENT_ACTIVITIES: positiveInt.default(100),
  /** Workflow tasks one worker runs at once. */
  TEMPORAL_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: positiveInt.default(40),
  /**
   * Workflow runs kept in memory between tasks (the sticky cache); 0 replays every task from history.
   * Small on purpose: an accruing run sleeps until maturity with nothing to do, and once evicted costs
   * one short replay when its timer fires; the runs in flight (subscribing, paying) stay cached as the
   * most recently used. The accrual bench measured ~1.3 MiB of RSS per cached run.
   */
  TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS: nonNegativeInt.default(100),
  /** After a stop is asked, in-flight activities have this long to finish before they are cancelled. */
  TEMPORAL_WORKER_SHUTDOWN_GRACE_MS: nonNegativeInt.default(30_000),
  /** After the grace time, how long cancelled activities get before the worker stops regardless. */
  TEMPORAL_WORKER_SHUTDOWN_FORCE_MS: positiveInt.default(10_000),
  /** The worker's name in Temporal (Web UI, task queue pollers); default the SDK's `pid@hostname`. */
  TEMPORAL_WORKER_IDENTITY: z.string().min(1).max(256).optional(),
  /** Where the worker process answers `/healthz` and `/readyz` (host:port); unset: no endpoint. */
  WORKER_HEALTH_BIND_ADDRESS: z
    .string()
    .regex(/^[^:]+:\d{1,5}$/, 'must be host:port')
    .optional(),
  /** After SIGTERM, how long the API keeps serving (with `/readyz` at 503) before it stops accepting connections. */
  API_DRAIN_DELAY_MS: nonNegativeInt.default(0),
};

/** The keys above, parsed. */
export type TemporalConfig = z.infer<z.ZodObject<typeof temporalConfigShape>>;

/** A TLS key without its certificate (or the reverse) is a mistake, not a choice. */
export function temporalConfigProblems(
  config: Pick<TemporalConfig, 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY'>,
): string[] {
  if ((config.TEMPORAL_TLS_CERT === undefined) === (config.TEMPORAL_TLS_KEY === undefined)) return [];
  return ['TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY: give both (mTLS) or neither'];
}

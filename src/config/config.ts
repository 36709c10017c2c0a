import { z } from 'zod';
import { OPERATOR_ROLES } from '../domain/operator-role';
import { memberTokenKeySetSchema } from './member-token-keys';
import { productionProblems } from './production-rules';
import { TEMPORAL_SECRET_KEYS, temporalConfigProblems, temporalConfigShape } from './temporal-config';
import { WEBHOOK_SECRET_KEYS, webhookConfigProblems, webhookConfigShape } from './webhook-config';

/** Keys whose values are secrets: never logged, never echoed in an error. */
export const SECRET_KEYS = [
  'PLATFORM_PRIVATE_KEY_PEM',
  'PII_ENCRYPTION_KEY',
  'API_KEYS',
  'OPERATOR_KEYS',
  'MEMBER_TOKEN_KEYS',
  'DATABASE_URL',
  ...TEMPORAL_SECRET_KEYS,
  ...WEBHOOK_SECRET_KEYS,
] as const;

const operatorEntry = new RegExp(`^[^:\\s]+:(${OPERATOR_ROLES.join('|')}):\\S{16,}$`);

const pem = z.string().includes('-----BEGIN', { message: 'must be a PEM block' });
const port = z.coerce.number().int().min(0).max(65535);

/** The engine's configuration, read from the environment once at start-up. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  API_PORT: port.default(3000),
  /** Interface the API binds; `0.0.0.0` inside a container. */
  API_HOST: z.string().min(1).default('127.0.0.1'),
  /** Where partners reach our notification endpoints (`<base>/notify/...`). */
  PUBLIC_BASE_URL: z.url().default('http://127.0.0.1:3000'),
  DATABASE_URL: z.string().startsWith('postgres').optional(),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('xjp-purchases'),
  XJP_BASE_URL: z.url().default('http://127.0.0.1:4100'),
  XJP_PARTNER_ID: z.string().min(1).default('PLATFORM01'),
  XJP_PUBLIC_KEY_PEM: pem,
  LIANLIAN_BASE_URL: z.url().default('http://127.0.0.1:4200'),
  LIANLIAN_OID_PARTNER: z.string().min(1).default('201811220000001'),
  LIANLIAN_PUBLIC_KEY_PEM: pem,
  PLATFORM_PRIVATE_KEY_PEM: pem,
  PARTNER_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** How long an investor has to pay before the subscription is cancelled at XJP. */
  PAYMENT_WINDOW_MINUTES: z.coerce.number().int().positive().default(30),
  /** 32 bytes, base64: the AES-256-GCM key for ID-card numbers, mobiles and bank cards at rest. */
  PII_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, { message: 'must be 32 bytes, base64-encoded' }),
  /** Comma-separated keys the platform's backend presents in `X-Api-Key` to reach /v1. */
  API_KEYS: z
    .string()
    .min(1)
    .transform((v) =>
      v
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k.length > 0),
    ),
  /**
   * The JSON Web Key Set member tokens are verified with (see member-token-keys.ts). Unset closes
   * the member-scoped routes (401 to everyone); production requires it.
   */
  MEMBER_TOKEN_KEYS: memberTokenKeySetSchema.optional(),
  /** The `aud` a member token must carry: this engine. */
  MEMBER_TOKEN_AUDIENCE: z.string().min(1).default('xjp-order-engine'),
  /**
   * Comma-separated `name:role:key` entries operators present in `X-Operator-Key` to reach /ops
   * (role: viewer, operator or finance); the name goes into the audit trail. Empty closes /ops.
   */
  OPERATOR_KEYS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry.length > 0),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            operatorEntry,
            `each entry must be name:role:key (role ${OPERATOR_ROLES.join('|')}, key at least 16 characters)`,
          ),
      ),
    )
    .transform((entries) =>
      entries.map((entry) => {
        const [name = '', role, ...key] = entry.split(':');
        return { name, role: z.enum(OPERATOR_ROLES).parse(role), key: key.join(':') };
      }),
    ),
  /** Requests per minute one API key may make to /v1 (one API process; each process counts its own). */
  RATE_LIMIT_V1_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** Deliveries per minute one partner may make to /notify (one API process). */
  RATE_LIMIT_NOTIFY_PER_MINUTE: z.coerce.number().int().positive().default(120),
  /** Where the Temporal worker's own Prometheus endpoint listens (see src/observability/temporal-metrics.ts). */
  TEMPORAL_METRICS_BIND_ADDRESS: z
    .string()
    .regex(/^[^:]+:\d{1,5}$/, 'must be host:port')
    .default('127.0.0.1:9464'),
  /**
   * Base address of an OpenTelemetry collector (OTLP over HTTP; traces go to `<base>/v1/traces`).
   * Unset: no tracing (src/observability/tracing.ts).
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** `service.name` of this process's spans; default `xjp-order-engine-api` or `-worker` by what it runs. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  // Temporal connection (TLS, Cloud), payload encryption and worker tuning: src/config/temporal-config.ts.
  ...temporalConfigShape,
  // Where order events are published to the platform: src/config/webhook-config.ts.
  ...webhookConfigShape,
});

/** The parsed configuration. */
export type Config = z.infer<typeof configSchema>;

/** A configuration problem, listing every invalid key (never a secret's value). */
export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Parses the environment, failing fast with every problem listed at once; under
 * `NODE_ENV=production` also refusing development secrets, short keys and missing keys.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const problems = [
    ...temporalConfigProblems(parsed.data),
    ...webhookConfigProblems(parsed.data),
    ...(parsed.data.NODE_ENV === 'production' ? productionProblems(parsed.data) : []),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed.data;
}

/** The configuration with secrets replaced, for start-up logs. */
export function redactConfig(config: Config): Record<string, unknown> {
  const secret = new Set<string>(SECRET_KEYS);
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, secret.has(key) ? '[redacted]' : value]),
  );
}

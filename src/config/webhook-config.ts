import { z } from 'zod';

/**
 * Where the platform's backend is told of order changes (see src/webhooks): each endpoint by name,
 * its URL here and its signing secret in a key of its own, so the secret can come from a `_FILE`
 * and be redacted while the URLs stay readable in the start-up log.
 */

/** Secrets among these keys: never logged. */
export const WEBHOOK_SECRET_KEYS = ['WEBHOOK_SECRETS'] as const;

/** The shortest signing secret accepted: a guessable secret lets anyone forge a delivery. */
export const WEBHOOK_MIN_SECRET_LENGTH = 16;

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Comma-separated `name=value` entries, the name unique; the value is everything after the first `=`. */
function namedEntries(what: string, value: z.ZodType<string, string>) {
  return z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry.length > 0),
    )
    .pipe(z.array(z.string().regex(/^[^=\s]+=\S+$/, `each entry must be name=${what}`)))
    .transform((entries) =>
      entries.map((entry) => ({
        name: entry.slice(0, entry.indexOf('=')),
        value: entry.slice(entry.indexOf('=') + 1),
      })),
    )
    .pipe(
      z
        .array(z.object({ name: z.string().regex(NAME, 'each name must be 1-64 of A-Z a-z 0-9 . _ -'), value }))
        .refine((entries) => new Set(entries.map((e) => e.name)).size === entries.length, 'names must be unique'),
    );
}

/** The webhook keys, spread into the engine's one schema. */
export const webhookConfigShape = {
  /** Comma-separated `name=url`: every endpoint gets every order event. Empty: nothing is sent. */
  WEBHOOK_ENDPOINTS: namedEntries('url', z.url()),
  /** Comma-separated `name=secret`: each endpoint's HMAC signing secret (at least 16 characters). */
  WEBHOOK_SECRETS: namedEntries(
    'secret',
    z.string().min(WEBHOOK_MIN_SECRET_LENGTH, `each secret must be at least ${WEBHOOK_MIN_SECRET_LENGTH} characters`),
  ),
  /** How long one delivery waits for the endpoint's answer before it counts as failed (at most a minute: the dispatch activity's bound). */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().max(60_000).default(10_000),
};

type WebhookConfig = z.infer<z.ZodObject<typeof webhookConfigShape>>;

/** One endpoint with its secret, as the dispatcher uses it. */
export interface WebhookEndpoint {
  name: string;
  url: string;
  secret: string;
}

/** Every endpoint must have a secret and every secret an endpoint: a typo in either name is caught at start-up. */
export function webhookConfigProblems(config: Pick<WebhookConfig, 'WEBHOOK_ENDPOINTS' | 'WEBHOOK_SECRETS'>): string[] {
  const secrets = new Set(config.WEBHOOK_SECRETS.map((s) => s.name));
  const endpoints = new Set(config.WEBHOOK_ENDPOINTS.map((e) => e.name));
  return [
    ...[...endpoints]
      .filter((name) => !secrets.has(name))
      .map((name) => `WEBHOOK_SECRETS: no secret for endpoint ${name}`),
    ...[...secrets]
      .filter((name) => !endpoints.has(name))
      .map((name) => `WEBHOOK_SECRETS: ${name} names no endpoint in WEBHOOK_ENDPOINTS`),
  ];
}

/** The configured endpoints joined with their secrets (a checked configuration has one for each). */
export function webhookEndpoints(
  config: Pick<WebhookConfig, 'WEBHOOK_ENDPOINTS' | 'WEBHOOK_SECRETS'>,
): WebhookEndpoint[] {
  const secrets = new Map(config.WEBHOOK_SECRETS.map((s) => [s.name, s.value]));
  return config.WEBHOOK_ENDPOINTS.flatMap(({ name, value }) => {
    const secret = secrets.get(name);
    return secret === undefined ? [] : [{ name, url: value, secret }];
  });
}

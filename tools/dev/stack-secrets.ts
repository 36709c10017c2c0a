import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The credential files a deployment-shaped stack reads beside the dev secrets, by config key. */
export interface StackSecretFiles {
  TEMPORAL_PAYLOAD_KEYS_FILE: string;
}

/**
 * Makes a random payload encryption key once (then reuses it) for the stacks shaped like a
 * deployment (docker compose, npm run stack); their API, operator and member token keys are the
 * random ones `ensureDevSecrets` makes.
 */
export function ensureStackSecrets(keysDir: string): StackSecretFiles {
  mkdirSync(keysDir, { recursive: true });
  const path = join(keysDir, 'payload-keys');
  const keyId = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
  if (!existsSync(path)) writeFileSync(path, `${keyId}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  return { TEMPORAL_PAYLOAD_KEYS_FILE: path };
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The credential files a deployment-shaped stack reads through `<KEY>_FILE`, by config key. */
export interface StackSecretFiles {
  API_KEYS_FILE: string;
  OPERATOR_KEYS_FILE: string;
  MEMBER_SIGNING_SECRET_FILE: string;
  TEMPORAL_PAYLOAD_KEYS_FILE: string;
}

const token = (bytes: number) => randomBytes(bytes).toString('base64url');

/**
 * Makes random credentials once (then reuses them) for the stacks shaped like a deployment
 * (docker compose, npm run stack), so no credential printed in this repository opens them:
 * the platform's API key, one operator `ops`, the member-signature secret and a payload key.
 */
export function ensureStackSecrets(keysDir: string): StackSecretFiles {
  mkdirSync(keysDir, { recursive: true });
  const files: Record<keyof StackSecretFiles, [string, () => string]> = {
    API_KEYS_FILE: ['api-keys', () => `platform-${token(24)}`],
    OPERATOR_KEYS_FILE: ['operator-keys', () => `ops:${token(24)}`],
    MEMBER_SIGNING_SECRET_FILE: ['member-signing-secret', () => token(32)],
    TEMPORAL_PAYLOAD_KEYS_FILE: ['payload-keys', () => `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}:${randomBytes(32).toString('base64')}`],
  };
  return Object.fromEntries(
    Object.entries(files).map(([key, [name, make]]) => {
      const path = join(keysDir, name);
      if (!existsSync(path)) writeFileSync(path, `${make()}\n`, { mode: 0o600 });
      return [key, path];
    }),
  ) as unknown as StackSecretFiles;
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateKeyPair } from '../sim/common/key-files';

/** The API key `npm run dev` and docker compose accept: a local stack's, never a deployment's. */
export const DEV_API_KEY = 'dev-platform-key-0001';

/** The operator key for /ops on a local stack (`name:key`, as OPERATOR_KEYS takes it). */
export const DEV_OPERATOR_KEYS = 'dev:dev-operator-key-0001';

/** The member-signature secret on a local stack (at least 32 characters). */
export const DEV_MEMBER_SIGNING_SECRET = 'dev-member-signing-secret-0000000001';

/** The files the engine reads its keys from, by config key (`<KEY>_FILE`). */
export interface DevSecretFiles {
  PLATFORM_PRIVATE_KEY_PEM_FILE: string;
  XJP_PUBLIC_KEY_PEM_FILE: string;
  LIANLIAN_PUBLIC_KEY_PEM_FILE: string;
  PII_ENCRYPTION_KEY_FILE: string;
}

/** Where the PII key lives beside the key pairs. */
export const PII_KEY_FILE = 'pii-encryption.key';

/**
 * Makes the three parties' RSA key pairs (the simulators read the same directory) and the PII key
 * on first use, then reuses them: data encrypted in a kept database stays readable across runs.
 */
export function ensureDevSecrets(keysDir: string): DevSecretFiles {
  const pairs = Object.fromEntries(
    (['platform', 'xjp', 'lianlian'] as const).map((party) => [party, loadOrCreateKeyPair(keysDir, party)]),
  ) as Record<'platform' | 'xjp' | 'lianlian', ReturnType<typeof loadOrCreateKeyPair>>;
  const piiKeyPath = join(keysDir, PII_KEY_FILE);
  if (!existsSync(piiKeyPath)) {
    mkdirSync(keysDir, { recursive: true });
    writeFileSync(piiKeyPath, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  return {
    PLATFORM_PRIVATE_KEY_PEM_FILE: pairs.platform.privateKeyPath,
    XJP_PUBLIC_KEY_PEM_FILE: pairs.xjp.publicKeyPath,
    LIANLIAN_PUBLIC_KEY_PEM_FILE: pairs.lianlian.publicKeyPath,
    PII_ENCRYPTION_KEY_FILE: piiKeyPath,
  };
}

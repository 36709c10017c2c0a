import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateKeyPair } from '../sim/common/key-files';
import { generateHs256MemberTokenKey, type MemberTokenSigningKey } from './member-token';

/** The files the engine reads its keys from, by config key (`<KEY>_FILE`). */
export interface DevSecretFiles {
  PLATFORM_PRIVATE_KEY_PEM_FILE: string;
  XJP_PUBLIC_KEY_PEM_FILE: string;
  LIANLIAN_PUBLIC_KEY_PEM_FILE: string;
  PII_ENCRYPTION_KEY_FILE: string;
  API_KEYS_FILE: string;
  OPERATOR_KEYS_FILE: string;
  MEMBER_TOKEN_KEYS_FILE: string;
}

/** Where the PII key lives beside the key pairs. */
export const PII_KEY_FILE = 'pii-encryption.key';
/** The platform's API key on this stack. */
export const API_KEY_FILE = 'api-key';
/** One operator per role (`dev-viewer`, `dev-operator`, `dev-finance`), as OPERATOR_KEYS takes them. */
export const OPERATOR_KEYS_FILE = 'operator-keys';
/** The HS256 member token key set (a shared secret: the stack plays the platform's backend too). */
export const MEMBER_TOKEN_KEYS_FILE = 'member-token-keys.json';

const randomKey = (): string => randomBytes(32).toString('base64url');

/** Writes a private file once; later runs keep it, so what was made with it stays usable. */
function once(path: string, content: () => string): string {
  if (!existsSync(path)) writeFileSync(path, content(), { mode: 0o600 });
  return path;
}

/**
 * Makes the three parties' RSA key pairs (the simulators read the same directory), the PII key, the
 * API key, the operator keys and the member token key on first use, all random (no stack shares a
 * key with another), then reuses them: data encrypted in a kept database stays readable across runs.
 */
export function ensureDevSecrets(keysDir: string): DevSecretFiles {
  const pairs = Object.fromEntries(
    (['platform', 'xjp', 'lianlian'] as const).map((party) => [party, loadOrCreateKeyPair(keysDir, party)]),
  ) as Record<'platform' | 'xjp' | 'lianlian', ReturnType<typeof loadOrCreateKeyPair>>;
  mkdirSync(keysDir, { recursive: true });
  return {
    PLATFORM_PRIVATE_KEY_PEM_FILE: pairs.platform.privateKeyPath,
    XJP_PUBLIC_KEY_PEM_FILE: pairs.xjp.publicKeyPath,
    LIANLIAN_PUBLIC_KEY_PEM_FILE: pairs.lianlian.publicKeyPath,
    PII_ENCRYPTION_KEY_FILE: once(join(keysDir, PII_KEY_FILE), () => `${randomBytes(32).toString('base64')}\n`),
    API_KEYS_FILE: once(join(keysDir, API_KEY_FILE), () => `${randomKey()}\n`),
    OPERATOR_KEYS_FILE: once(
      join(keysDir, OPERATOR_KEYS_FILE),
      () => `${['viewer', 'operator', 'finance'].map((role) => `dev-${role}:${role}:${randomKey()}`).join(',')}\n`,
    ),
    MEMBER_TOKEN_KEYS_FILE: once(
      join(keysDir, MEMBER_TOKEN_KEYS_FILE),
      () => `${JSON.stringify({ keys: [generateHs256MemberTokenKey('dev-1')] })}\n`,
    ),
  };
}

/** This stack's API key. */
export function readDevApiKey(keysDir: string): string {
  return readFileSync(join(keysDir, API_KEY_FILE), 'utf8').trim();
}

/** This stack's operator key for `role` (the `dev-<role>` entry of its operator keys). */
export function readDevOperatorKey(keysDir: string, role: 'viewer' | 'operator' | 'finance'): string {
  const entry = readFileSync(join(keysDir, OPERATOR_KEYS_FILE), 'utf8')
    .trim()
    .split(',')
    .find((e) => e.startsWith(`dev-${role}:${role}:`));
  if (entry === undefined) throw new Error(`${OPERATOR_KEYS_FILE} in ${keysDir} has no dev-${role}`);
  return entry.slice(`dev-${role}:${role}:`.length);
}

/** The key this stack's member tokens are signed with (the first of its key set). */
export function readDevMemberTokenKey(keysDir: string): MemberTokenSigningKey {
  const set = JSON.parse(readFileSync(join(keysDir, MEMBER_TOKEN_KEYS_FILE), 'utf8')) as {
    keys: MemberTokenSigningKey[];
  };
  const [key] = set.keys;
  if (key === undefined) throw new Error(`${MEMBER_TOKEN_KEYS_FILE} in ${keysDir} holds no key`);
  return key;
}

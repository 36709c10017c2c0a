import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateRsaKeyPair } from '../../../src/partners/signing';

/** One party's key pair on disk, and whether this call created it. */
export interface KeyFiles {
  publicKeyPem: string;
  privateKeyPem: string;
  publicKeyPath: string;
  privateKeyPath: string;
  created: boolean;
}

/**
 * `<dir>/<party>-public.pem` and `<dir>/<party>-private.pem`, generated on first use so every
 * process started from the same directory (both simulators, the engine) shares the same keys.
 */
export function loadOrCreateKeyPair(dir: string, party: string): KeyFiles {
  const publicKeyPath = join(dir, `${party}-public.pem`);
  const privateKeyPath = join(dir, `${party}-private.pem`);
  const created = !existsSync(publicKeyPath) || !existsSync(privateKeyPath);
  if (created) {
    const pair = generateRsaKeyPair();
    mkdirSync(dir, { recursive: true });
    writeFileSync(privateKeyPath, pair.privateKeyPem, { mode: 0o600 });
    writeFileSync(publicKeyPath, pair.publicKeyPem);
  }
  return {
    publicKeyPem: readFileSync(publicKeyPath, 'utf8'),
    privateKeyPem: readFileSync(privateKeyPath, 'utf8'),
    publicKeyPath,
    privateKeyPath,
    created,
  };
}

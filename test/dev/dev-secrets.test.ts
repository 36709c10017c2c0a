import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPiiCipher } from '../../src/db/pii-cipher';
import { ensureDevSecrets } from '../../tools/dev/dev-secrets';
import { loadOrCreateKeyPair } from '../../tools/sim/common/key-files';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xjp-dev-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('first use makes the key pairs the simulators read and a private 32-byte PII key; later uses keep them', () => {
  const first = ensureDevSecrets(dir);
  const contents = Object.values(first).map((path) => readFileSync(path, 'utf8'));
  expect(loadOrCreateKeyPair(dir, 'xjp')).toMatchObject({
    created: false,
    publicKeyPath: first.XJP_PUBLIC_KEY_PEM_FILE,
  });
  expect(statSync(first.PII_ENCRYPTION_KEY_FILE).mode & 0o777).toBe(0o600);
  expect(statSync(first.PLATFORM_PRIVATE_KEY_PEM_FILE).mode & 0o777).toBe(0o600);
  // The key file's content is what PII_ENCRYPTION_KEY takes: base64 of 32 bytes.
  const cipher = createPiiCipher(readFileSync(first.PII_ENCRYPTION_KEY_FILE, 'utf8').trim());
  expect(cipher.decrypt(cipher.encrypt('13800138000'))).toBe('13800138000');

  const second = ensureDevSecrets(dir);
  expect(second).toEqual(first);
  expect(Object.values(second).map((path) => readFileSync(path, 'utf8'))).toEqual(contents);
});

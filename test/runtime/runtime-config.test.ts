import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config';
import { generateRsaKeyPair } from '../../src/partners/signing';
import { loadRuntimeConfig, readFileVariables } from '../../src/runtime/runtime-config';

const platform = generateRsaKeyPair();
const partner = generateRsaKeyPair();
const PII_KEY = Buffer.alloc(32, 7).toString('base64');

const complete = {
  DATABASE_URL: 'postgres://u:p@db:5432/app',
  XJP_PUBLIC_KEY_PEM: partner.publicKeyPem,
  LIANLIAN_PUBLIC_KEY_PEM: partner.publicKeyPem,
  PLATFORM_PRIVATE_KEY_PEM: platform.privateKeyPem,
  PII_ENCRYPTION_KEY: PII_KEY,
  API_KEYS: 'k1,k2',
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xjp-runtime-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadRuntimeConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

test('a complete environment parses, defaults filled', () => {
  const config = loadRuntimeConfig(complete);
  expect(config).toMatchObject({
    DATABASE_URL: complete.DATABASE_URL,
    API_KEYS: ['k1', 'k2'],
    API_PORT: 3000,
    API_HOST: '127.0.0.1',
  });
});

test('<KEY>_FILE supplies a key from a file (trimmed), and a key set directly wins over its file', async () => {
  const pemFile = join(dir, 'platform-private.pem');
  const keyFile = join(dir, 'pii.key');
  await writeFile(pemFile, `${platform.privateKeyPem}\n\n`);
  await writeFile(keyFile, 'ignored-because-set-directly');
  const { env, problems } = readFileVariables({
    PLATFORM_PRIVATE_KEY_PEM_FILE: pemFile,
    PII_ENCRYPTION_KEY: PII_KEY,
    PII_ENCRYPTION_KEY_FILE: keyFile,
  });
  expect(problems).toEqual([]);
  expect(env.PLATFORM_PRIVATE_KEY_PEM).toBe(platform.privateKeyPem.trim());
  expect(env.PII_ENCRYPTION_KEY).toBe(PII_KEY);
});

test('every problem is listed at once: unreadable files, schema errors and a missing DATABASE_URL, never a secret value', () => {
  const secret = 'not-base64-32-bytes-SECRET';
  const problems = problemsOf({
    ...complete,
    DATABASE_URL: undefined,
    PII_ENCRYPTION_KEY: secret,
    API_KEYS: '',
    XJP_PUBLIC_KEY_PEM: undefined,
    XJP_PUBLIC_KEY_PEM_FILE: join(dir, 'missing.pem'),
  });
  expect(problems).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^XJP_PUBLIC_KEY_PEM_FILE: cannot read .*missing\.pem \(ENOENT\)$/),
      expect.stringMatching(/^XJP_PUBLIC_KEY_PEM: /),
      expect.stringMatching(/^PII_ENCRYPTION_KEY: must be 32 bytes/),
      expect.stringMatching(/^API_KEYS: /),
      expect.stringMatching(/^DATABASE_URL: required/),
    ]),
  );
  expect(problems.join('\n')).not.toContain(secret);
});

test('only keys of the schema are read from files: an unrelated *_FILE is left alone', () => {
  const { env, problems } = readFileVariables({ SOMETHING_FILE: join(dir, 'missing') });
  expect(problems).toEqual([]);
  expect(env.SOMETHING).toBeUndefined();
});

/**
 * Production refuses to start on development secrets: the API entry is started as a process with
 * NODE_ENV=production and the keys the repository once published, and must exit non-zero naming
 * each problem; the rules themselves are checked on the parsed configuration.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config';
import { generateHs256MemberTokenKey } from '../../tools/dev/member-token';
import { generateRsaKeyPair } from '../../src/partners/signing';
import { loadRuntimeConfig } from '../../src/runtime/runtime-config';

const ROOT = join(__dirname, '..', '..');
const platform = generateRsaKeyPair();
const partner = generateRsaKeyPair();
const STRONG_KEY = 'k'.repeat(40);

const base = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u:p@127.0.0.1:1/app',
  XJP_PUBLIC_KEY_PEM: partner.publicKeyPem,
  LIANLIAN_PUBLIC_KEY_PEM: partner.publicKeyPem,
  PLATFORM_PRIVATE_KEY_PEM: platform.privateKeyPem,
  PII_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  API_KEYS: STRONG_KEY,
  OPERATOR_KEYS: `fin:finance:${'f'.repeat(40)}`,
  MEMBER_TOKEN_KEYS: JSON.stringify({ keys: [generateHs256MemberTokenKey('prod-1')] }),
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadRuntimeConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

test('a production configuration with strong keys of its own is accepted', () => {
  expect(problemsOf(base)).toEqual([]);
});

test('production lists every problem at once: a published development key, a short API key, missing operator and member token keys', () => {
  const problems = problemsOf({
    ...base,
    API_KEYS: `dev-platform-key-0001,short-key,${STRONG_KEY}`,
    OPERATOR_KEYS: '',
    MEMBER_TOKEN_KEYS: undefined,
  });
  expect(problems).toEqual([
    'API_KEYS: entry 1 is a published development key',
    'API_KEYS: entry 2 is 9 characters; production needs at least 32',
    'OPERATOR_KEYS: required in production (name:role:key entries)',
    'MEMBER_TOKEN_KEYS: required in production (the JSON Web Key Set member tokens are verified with)',
  ]);
  expect(problems.join('\n')).not.toContain('short-key');
});

test('production refuses the published member signing secret as an HS256 key, and a published operator key', () => {
  const published = {
    kty: 'oct',
    kid: 'old',
    alg: 'HS256',
    k: Buffer.from('dev-member-signing-secret-0000000001').toString('base64url'),
  };
  const problems = problemsOf({
    ...base,
    OPERATOR_KEYS: 'dev:operator:dev-operator-key-0001',
    MEMBER_TOKEN_KEYS: JSON.stringify({ keys: [published] }),
  });
  expect(problems).toEqual([
    'OPERATOR_KEYS: entry 1 is a published development key',
    'MEMBER_TOKEN_KEYS: key old is a published development secret',
  ]);
});

test('development accepts what production refuses (the local stack and tests run so)', () => {
  expect(
    problemsOf({
      ...base,
      NODE_ENV: 'development',
      API_KEYS: 'dev-platform-key-0001',
      OPERATOR_KEYS: '',
      MEMBER_TOKEN_KEYS: undefined,
    }),
  ).toEqual([]);
});

test('the API entry started with NODE_ENV=production and a development secret exits non-zero, naming the problem', async () => {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'src', 'runtime', 'api-main.ts')],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...base, API_KEYS: 'dev-platform-key-0001', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code).not.toBe(0);
  expect(output).toContain('invalid configuration');
  expect(output).toContain('API_KEYS: entry 1 is a published development key');
}, 60_000);

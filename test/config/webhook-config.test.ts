/** The webhook keys: endpoints and secrets by name, each endpoint with a secret, secrets never shown. */
import { loadConfig, redactConfig } from '../../src/config/config';
import { webhookEndpoints } from '../../src/config/webhook-config';
import { generateRsaKeyPair } from '../../src/partners/signing';

const { publicKeyPem, privateKeyPem } = generateRsaKeyPair();
const BASE = {
  XJP_PUBLIC_KEY_PEM: publicKeyPem,
  LIANLIAN_PUBLIC_KEY_PEM: publicKeyPem,
  PLATFORM_PRIVATE_KEY_PEM: privateKeyPem,
  PII_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  API_KEYS: 'test-platform-key-0001',
};

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig({ ...BASE, ...env });
    return [];
  } catch (err) {
    return (err as { problems: string[] }).problems;
  }
}

test('endpoints are joined with their secrets by name, and the secrets are redacted', () => {
  const config = loadConfig({
    ...BASE,
    WEBHOOK_ENDPOINTS: 'platform=https://platform.example/hooks?v=2, audit=http://10.0.0.5:8080/in',
    WEBHOOK_SECRETS: 'audit=audit-secret-0123456789,platform=platform-secret-0123456789',
  });
  expect(webhookEndpoints(config)).toEqual([
    { name: 'platform', url: 'https://platform.example/hooks?v=2', secret: 'platform-secret-0123456789' },
    { name: 'audit', url: 'http://10.0.0.5:8080/in', secret: 'audit-secret-0123456789' },
  ]);
  expect(JSON.stringify(redactConfig(config))).not.toContain('secret-0123456789');
});

test('nothing configured sends nothing', () => {
  expect(webhookEndpoints(loadConfig(BASE))).toEqual([]);
});

test('an endpoint without a secret, a secret without an endpoint, a short secret or a bad URL is refused, by name', () => {
  expect(problems({ WEBHOOK_ENDPOINTS: 'platform=https://p.example/h' })).toEqual([
    'WEBHOOK_SECRETS: no secret for endpoint platform',
  ]);
  expect(
    problems({ WEBHOOK_ENDPOINTS: 'platform=https://p.example/h', WEBHOOK_SECRETS: 'platfrom=0123456789abcdef' }),
  ).toEqual([
    'WEBHOOK_SECRETS: no secret for endpoint platform',
    'WEBHOOK_SECRETS: platfrom names no endpoint in WEBHOOK_ENDPOINTS',
  ]);
  const short = problems({ WEBHOOK_ENDPOINTS: 'p=https://p.example/h', WEBHOOK_SECRETS: 'p=short' });
  expect(short.join('\n')).toMatch(/WEBHOOK_SECRETS.*at least 16 characters/);
  expect(short.join('\n')).not.toContain('short');
  expect(problems({ WEBHOOK_ENDPOINTS: 'p=not a url', WEBHOOK_SECRETS: 'p=0123456789abcdef' }).join('\n')).toMatch(
    /WEBHOOK_ENDPOINTS/,
  );
  expect(
    problems({ WEBHOOK_ENDPOINTS: 'p=https://a.example,p=https://b.example', WEBHOOK_SECRETS: 'p=0123456789abcdef' }),
  ).toEqual([expect.stringMatching(/WEBHOOK_ENDPOINTS.*unique/)]);
});

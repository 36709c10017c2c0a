import { loadConfig } from '../../src/config/config';
import { generateRsaKeyPair } from '../../src/partners/signing';
import { temporalConnectionOptions } from '../../src/temporal/connection-options';

const pair = generateRsaKeyPair();
const base = {
  XJP_PUBLIC_KEY_PEM: pair.publicKeyPem,
  LIANLIAN_PUBLIC_KEY_PEM: pair.publicKeyPem,
  PLATFORM_PRIVATE_KEY_PEM: pair.privateKeyPem,
  PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  API_KEYS: 'k1',
};
// Any PEM block parses here: the TLS handshake, not the config, judges the certificate (see mtls.test.ts).
const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----';

test('without TLS settings the connection is plain TCP to TEMPORAL_ADDRESS', () => {
  expect(temporalConnectionOptions(loadConfig({ ...base, TEMPORAL_ADDRESS: 'temporal:7233' }))).toEqual({
    address: 'temporal:7233',
  });
});

test('a certificate pair, a CA and a server name make mTLS', () => {
  const options = temporalConnectionOptions(
    loadConfig({
      ...base,
      TEMPORAL_TLS_CERT: CERT,
      TEMPORAL_TLS_KEY: KEY,
      TEMPORAL_TLS_CA: CERT,
      TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal',
    }),
  );
  expect(options.tls).toEqual({
    serverNameOverride: 'frontend.temporal',
    serverRootCACertificate: Buffer.from(CERT),
    clientCertPair: { crt: Buffer.from(CERT), key: Buffer.from(KEY) },
  });
});

test('an API key (Temporal Cloud) turns TLS on with the system CAs and is sent as the key', () => {
  expect(
    temporalConnectionOptions(
      loadConfig({ ...base, TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'cloud-key' }),
    ),
  ).toEqual({
    address: 'ns.acct.tmprl.cloud:7233',
    tls: true,
    apiKey: 'cloud-key',
  });
});

test('a certificate without its key (or the reverse) is a configuration problem', () => {
  expect(() => loadConfig({ ...base, TEMPORAL_TLS_CERT: CERT })).toThrow(
    /TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY: give both/,
  );
  expect(() => loadConfig({ ...base, TEMPORAL_TLS_KEY: KEY })).toThrow(/give both/);
});

test('payload keys parse as id:base64 of 32 bytes, with unique ids, the first being the one that encrypts', () => {
  const k1 = Buffer.alloc(32, 1).toString('base64');
  const k2 = Buffer.alloc(32, 2).toString('base64');
  expect(
    loadConfig({ ...base, TEMPORAL_PAYLOAD_KEYS: `new:${k2}, old:${k1}` }).TEMPORAL_PAYLOAD_KEYS.map((k) => k.id),
  ).toEqual(['new', 'old']);
  expect(() => loadConfig({ ...base, TEMPORAL_PAYLOAD_KEYS: `a:${Buffer.alloc(16).toString('base64')}` })).toThrow(
    /32 bytes/,
  );
  expect(() => loadConfig({ ...base, TEMPORAL_PAYLOAD_KEYS: `a:${k1},a:${k2}` })).toThrow(/unique/);
});

/**
 * The engine reaches a Temporal cluster that requires client certificates (mTLS), as a secured
 * self-hosted cluster or Temporal Cloud does: the real server (tools/temporal/cluster.ts) with TLS on
 * its frontend, certificates made here by openssl, and the connection options the config builds.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../../src/config/config';
import { generateRsaKeyPair } from '../../src/partners/signing';
import { startCluster, type RunningCluster } from '../../tools/temporal/cluster';
import { temporalConnectionOptions } from '../../src/temporal/connection-options';
import { ensureNamespace } from '../../src/temporal/namespace';
import { startTestDatabase, type TestDatabase } from '../../tools/testing/database';

let dir: string;
let db: TestDatabase;
let cluster: RunningCluster;
const pem: Record<'ca' | 'clientCert' | 'clientKey' | 'otherCa', string> = {
  ca: '',
  clientCert: '',
  clientKey: '',
  otherCa: '',
};

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** A CA, a server certificate for localhost/127.0.0.1 and a client certificate, both signed by it; and an unrelated CA. */
function makeCertificates(): void {
  for (const ca of ['ca', 'other-ca']) {
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=xjp test ${ca}`,
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.pem`,
    ]);
  }
  const sign = (name: string, subject: string, extensions: string) => {
    openssl([
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    ]);
    execFileSync('sh', ['-c', `printf '%s\\n' '${extensions}' > ${name}.ext`], { cwd: dir });
    openssl([
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    ]);
  };
  sign('server', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth');
  sign('client', '/CN=xjp-engine', 'extendedKeyUsage=clientAuth');
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'xjp-mtls-'));
  makeCertificates();
  for (const [key, file] of Object.entries({
    ca: 'ca.pem',
    clientCert: 'client.pem',
    clientKey: 'client.key',
    otherCa: 'other-ca.pem',
  })) {
    pem[key as keyof typeof pem] = await readFile(path.join(dir, file), 'utf8');
  }
  db = await startTestDatabase({ migrate: false });
  const url = new URL(db.url);
  cluster = await startCluster({
    dataDir: path.join(dir, 'cluster'),
    database: {
      host: url.hostname,
      port: Number(url.port),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    },
    tls: {
      serverCertFile: path.join(dir, 'server.pem'),
      serverKeyFile: path.join(dir, 'server.key'),
      clientCaFile: path.join(dir, 'ca.pem'),
      systemWorkerCertFile: path.join(dir, 'client.pem'),
      systemWorkerKeyFile: path.join(dir, 'client.key'),
      serverName: 'localhost',
    },
  });
}, 600_000);

afterAll(async () => {
  await cluster?.stop();
  await db?.stop();
  await rm(dir, { recursive: true, force: true });
});

const pair = generateRsaKeyPair();
/** The engine's configuration as a deployment sets it, with the given TLS keys. */
function engineConfig(tls: Record<string, string>) {
  return loadConfig({
    XJP_PUBLIC_KEY_PEM: pair.publicKeyPem,
    LIANLIAN_PUBLIC_KEY_PEM: pair.publicKeyPem,
    PLATFORM_PRIVATE_KEY_PEM: pair.privateKeyPem,
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
    API_KEYS: 'k',
    TEMPORAL_ADDRESS: cluster.address,
    ...tls,
  });
}

test('with the client certificate the API side connects over mTLS, creates the namespace and reads it back; the worker side connects too', async () => {
  const options = temporalConnectionOptions(
    engineConfig({
      TEMPORAL_TLS_CERT: pem.clientCert,
      TEMPORAL_TLS_KEY: pem.clientKey,
      TEMPORAL_TLS_CA: pem.ca,
      TEMPORAL_TLS_SERVER_NAME: 'localhost',
    }),
  );
  const connection = await Connection.connect(options);
  try {
    expect(await ensureNamespace(connection, 'xjp-mtls', 1)).toBe('created');
    const described = await connection.workflowService.describeNamespace({ namespace: 'xjp-mtls' });
    expect(described.namespaceInfo?.name).toBe('xjp-mtls');
  } finally {
    await connection.close();
  }
  const native = await NativeConnection.connect(options);
  await native.close();
});

test('without a client certificate, with a CA that did not sign the server, or in plain text, the cluster cannot be reached', async () => {
  const attempts = [
    engineConfig({ TEMPORAL_TLS_CA: pem.ca, TEMPORAL_TLS_SERVER_NAME: 'localhost' }),
    engineConfig({
      TEMPORAL_TLS_CERT: pem.clientCert,
      TEMPORAL_TLS_KEY: pem.clientKey,
      TEMPORAL_TLS_CA: pem.otherCa,
      TEMPORAL_TLS_SERVER_NAME: 'localhost',
    }),
    engineConfig({}),
  ];
  for (const config of attempts) {
    const reached = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: 5_000 })
      .then(async (c) => {
        try {
          await c.workflowService.getSystemInfo({});
          return true;
        } finally {
          await c.close();
        }
      })
      .catch(() => false);
    expect({ tls: temporalConnectionOptions(config).tls !== undefined, reached }).toEqual({
      tls: temporalConnectionOptions(config).tls !== undefined,
      reached: false,
    });
  }
});

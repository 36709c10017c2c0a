/**
 * The whole engine for workflow and API tests, on real parts: embedded PostgreSQL, both partner
 * simulators over HTTP, the API on a real port, and a real worker on a Temporal test server.
 */
import type { Server } from 'node:http';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createWorkerActivities } from '../../activities';
import { purchaseStarter } from '../../src/temporal/purchase-start';
import { type ApiDependencies, createApiApp } from '../../src/api/app';
import { findFreePort } from '../../src/db/embedded-postgres';
import { createLogger } from '../../src/logging/logger';
import { createPiiCipher, type PiiCipher } from '../../src/db/pii-cipher';
import { createLianLianClient } from '../../src/partners/lianlian';
import { generateRsaKeyPair, type KeyPairPem } from '../../src/partners/signing';
import { createXjpClient } from '../../src/partners/xjp';
import { createLianLianSimulator } from '../sim/lianlian/simulator';
import { createXjpSimulator } from '../sim/xjp/simulator';
import type { Tracing } from '../../src/observability/tracing';
import { engineDataConverter } from '../../src/temporal/data-converter';
import { engineClientInterceptors } from '../../src/temporal/interceptors';
import { AesGcmPayloadCodec, type PayloadKey } from '../../src/temporal/payload-codec';
import { registerSearchAttributes } from '../../src/temporal/search-attributes';
import { createPurchaseWorker } from '../../src/temporal/worker';
import { PURCHASE_TASK_QUEUE } from '../../workflows/purchase/contract';
import { startTestDatabase, testPiiCipher, type TestDatabase } from './database';
import { TEST_MEMBER_TOKEN_AUDIENCE, TEST_MEMBER_TOKEN_KEY } from './member-tokens';
import { createTimeSkippingTestEnv } from './temporal';

/** The API key tests present. */
export const TEST_API_KEY = 'test-platform-key-0001';
/** The operator tests act as on /ops (role `operator`): its name is what the audit trail records. */
export const TEST_OPERATOR = { name: 'ops-alice', role: 'operator', key: 'test-operator-key-0001' } as const;
/** A read-only operator (客服). */
export const TEST_VIEWER = { name: 'cs-carol', role: 'viewer', key: 'test-viewer-key-0001' } as const;
/** A finance operator (财务): the role money actions need. */
export const TEST_FINANCE = { name: 'fin-frank', role: 'finance', key: 'test-finance-key-0001' } as const;
const PARTNER_ID = 'PLATFORM01';
const OID_PARTNER = '201811220000001';

/** A running engine. */
export interface TestEngine {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  client: Client;
  apiUrl: string;
  xjpUrl: string;
  lianlianUrl: string;
  /** What the API was built from, so a test can build a second API process over the same parts. */
  apiDependencies: ApiDependencies;
  /** The cipher the engine's personal data is encrypted with, for tests that seed orders directly. */
  pii: PiiCipher;
  /** The key pairs generated for this run, so a test can sign a partner's message itself. */
  keys: { platform: KeyPairPem; xjp: KeyPairPem; lianlian: KeyPairPem };
  /** The in-process worker (none with `withoutWorker`: reading it then throws). */
  readonly worker: Worker;
  /** Stops the worker (as a crash would) and starts a fresh one on the same queue. */
  restartWorker(): Promise<void>;
  stop(): Promise<void>;
}

/** Options a test may turn. */
export interface TestEngineOptions {
  paymentWindowMs?: number;
  payoutStepDelayMs?: number;
  /** The API's logger (default: silent under tests unless LOG_LEVEL says otherwise). */
  logger?: Logger;
  /** The API's clock (member token expiry, "today" in holdings); default: the real clock. */
  apiNow?: () => Date;
  /** How long POST /v1/purchases waits for the run before answering 202; default the API's. */
  purchaseAnswerWithinMs?: number;
  /**
   * The first worker keeps no workflow in memory, so no run is sticky to it when it is stopped: the
   * time-skipping server never hands a dead worker's sticky tasks back to the shared queue. The
   * worker restartWorker() starts caches as usual, so the rest of the run is fast.
   */
  restartableWorker?: boolean;
  /** Encrypts payloads as a deployment with TEMPORAL_PAYLOAD_KEYS does: client, worker and the /codec endpoint. */
  payloadKeys?: PayloadKey[];
  /** Origins the /codec endpoint answers CORS for. */
  codecCorsOrigins?: string[];
  /** The tracing the test registered (startTracing): the worker sends its workflow spans there too. */
  tracing?: Tracing;
  /** No worker in this process: the test runs the worker as a process of its own (as a deployment does). */
  withoutWorker?: boolean;
  /** The PII key (32 bytes), for a worker process that must decrypt what this engine's API stored; default random. */
  piiKey?: Buffer;
}

/** Starts every part of the engine around a Temporal test environment the caller created. */
export async function startTestEngine(
  env: TestWorkflowEnvironment,
  options: TestEngineOptions = {},
): Promise<TestEngine> {
  const keys = { platform: generateRsaKeyPair(), xjp: generateRsaKeyPair(), lianlian: generateRsaKeyPair() };
  const db = await startTestDatabase();
  const pii = options.piiKey === undefined ? testPiiCipher() : createPiiCipher(options.piiKey);
  const apiPort = await findFreePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const lianlianSim = await createLianLianSimulator({
    lianlianPrivateKeyPem: keys.lianlian.privateKeyPem,
    xjpPublicKeyPem: keys.xjp.publicKeyPem,
    platformPublicKeyPem: keys.platform.publicKeyPem,
    platformOidPartner: OID_PARTNER,
    notificationRetry: { attempts: 10, baseDelayMs: 200, factor: 2, maxDelayMs: 2_000 },
    payout: {
      stepDelayMs: options.payoutStepDelayMs ?? 50,
      checkHoldMs: 60_000,
      reversalDelayMs: 300,
      duplicateWindowMs: 24 * 3600 * 1000,
    },
  }).listen();
  const xjpSim = await createXjpSimulator({
    partnerId: PARTNER_ID,
    platformPublicKeyPem: keys.platform.publicKeyPem,
    xjpPrivateKeyPem: keys.xjp.privateKeyPem,
    lianlianPublicKeyPem: keys.lianlian.publicKeyPem,
    lianlianBaseUrl: lianlianSim.url,
    engineNotifyUrl: `${apiUrl}/notify/xjp/payment`,
    notificationRetry: { attempts: 10, baseDelayMs: 200, factor: 2, maxDelayMs: 2_000 },
  }).listen();
  const xjp = createXjpClient({
    baseUrl: xjpSim.url,
    partnerId: PARTNER_ID,
    platformPrivateKeyPem: keys.platform.privateKeyPem,
    timeoutMs: 5_000,
  });
  const lianlian = createLianLianClient({
    baseUrl: lianlianSim.url,
    oidPartner: OID_PARTNER,
    platformPrivateKeyPem: keys.platform.privateKeyPem,
    timeoutMs: 5_000,
  });
  // A plain client: unlike env.client it never unlocks time skipping, as a real API would not.
  const dataConverter = engineDataConverter(options.payloadKeys ?? []);
  const client = new Client({
    connection: env.connection,
    namespace: env.namespace ?? 'default',
    dataConverter,
    interceptors: engineClientInterceptors(),
  });
  const paymentWindowMs = options.paymentWindowMs ?? 30 * 60 * 1000;
  const activities = createWorkerActivities({
    orm: db.orm,
    xjp,
    lianlian,
    pii,
    payoutNotifyUrl: `${apiUrl}/notify/lianlian/payout`,
    refundNotifyUrl: `${apiUrl}/notify/lianlian/refund`,
    purchaseStarter: purchaseStarter(client, PURCHASE_TASK_QUEUE, paymentWindowMs),
    webhooks: { endpoints: [], timeoutMs: 1_000 },
  });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  // Aborted first thing at stop: a request's Temporal call still in flight ends then, not on the closed connection.
  const stopping = new AbortController();
  const apiDependencies: ApiDependencies = {
    orm: db.orm,
    temporal: client,
    taskQueue: PURCHASE_TASK_QUEUE,
    paymentWindowMs,
    xjp,
    pii,
    apiKeys: [TEST_API_KEY],
    xjpPublicKeyPem: keys.xjp.publicKeyPem,
    lianlianPublicKeyPem: keys.lianlian.publicKeyPem,
    lianlianOidPartner: OID_PARTNER,
    // Far above what a test file sends; the rate limit test builds its own app with small limits.
    rateLimits: { v1PerMinute: 100_000, notifyPerMinute: 100_000 },
    logger: options.logger ?? createLogger('api-test'),
    operators: [TEST_OPERATOR, TEST_VIEWER, TEST_FINANCE],
    memberTokenKeys: [TEST_MEMBER_TOKEN_KEY],
    memberTokenAudience: TEST_MEMBER_TOKEN_AUDIENCE,
    shutdownSignal: stopping.signal,
    ...(options.apiNow ? { now: options.apiNow } : {}),
    ...(options.purchaseAnswerWithinMs ? { purchaseAnswerWithinMs: options.purchaseAnswerWithinMs } : {}),
    ...(options.payloadKeys
      ? { codec: { codec: new AesGcmPayloadCodec(options.payloadKeys), corsOrigins: options.codecCorsOrigins ?? [] } }
      : {}),
  };
  const app = createApiApp(apiDependencies);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(apiPort, '127.0.0.1', () => resolve(s));
  });

  const workerOptions = {
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue: PURCHASE_TASK_QUEUE,
    activities,
    dataConverter,
    ...(options.tracing ? { tracing: options.tracing } : {}),
  };
  let worker = options.withoutWorker
    ? undefined
    : await createPurchaseWorker({
        ...workerOptions,
        ...(options.restartableWorker ? { maxCachedWorkflows: 0 } : {}),
      });
  let running = worker?.run();

  const engine: TestEngine = {
    env,
    db,
    client,
    apiUrl,
    xjpUrl: xjpSim.url,
    lianlianUrl: lianlianSim.url,
    apiDependencies,
    pii,
    keys,
    get worker(): Worker {
      if (worker === undefined) throw new Error('this test engine runs no worker of its own (withoutWorker)');
      return worker;
    },
    async restartWorker() {
      worker?.shutdown();
      await running;
      worker = await createPurchaseWorker(workerOptions);
      running = worker.run();
    },
    async stop() {
      stopping.abort();
      worker?.shutdown();
      await running;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await xjpSim.close();
      await lianlianSim.close();
      await db.stop();
    },
  };
  return engine;
}

/**
 * The configuration an engine entry run as a process of its own (worker or API) needs to join this
 * engine: its database, Temporal server, simulators and keys (`piiKey`: the one the engine was started with).
 */
export function engineProcessEnv(engine: TestEngine, piiKey: Buffer): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: engine.db.url,
    TEMPORAL_ADDRESS: engine.env.address,
    XJP_BASE_URL: engine.xjpUrl,
    LIANLIAN_BASE_URL: engine.lianlianUrl,
    XJP_PUBLIC_KEY_PEM: engine.keys.xjp.publicKeyPem,
    LIANLIAN_PUBLIC_KEY_PEM: engine.keys.lianlian.publicKeyPem,
    PLATFORM_PRIVATE_KEY_PEM: engine.keys.platform.privateKeyPem,
    PII_ENCRYPTION_KEY: piiKey.toString('base64'),
  };
}

/** The engine of one test file and the time-skipping server it runs on. */
export interface RunningTestEngine {
  readonly env: TestWorkflowEnvironment;
  readonly engine: TestEngine;
}

/**
 * Starts one engine on its own time-skipping server before the calling file's tests and stops both
 * after them (time skipped on a test server is global to it, so each file gets its own).
 */
export function useTestEngine(options: TestEngineOptions = {}): RunningTestEngine {
  let started: { env: TestWorkflowEnvironment; engine?: TestEngine } | undefined;
  beforeAll(async () => {
    started = { env: await createTimeSkippingTestEnv() };
    started.engine = await startTestEngine(started.env, options);
  });
  afterAll(async () => {
    await started?.engine?.stop();
    await started?.env.teardown();
  });
  const ready = (): { env: TestWorkflowEnvironment; engine: TestEngine } => {
    if (started?.engine === undefined) throw new Error('the test engine is used before beforeAll started it');
    return { env: started.env, engine: started.engine };
  };
  return {
    get env() {
      return ready().env;
    },
    get engine() {
      return ready().engine;
    },
  };
}

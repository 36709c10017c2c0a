/**
 * Builds the engine's parts from its configuration: the ORM, the partner clients, the PII cipher,
 * the Temporal connections, then the API server and/or the purchase worker. `npm run dev`, the
 * API entry and the worker entry all start the engine through here, so they cannot drift apart.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Tracing } from '../observability/tracing';
import { createWorkerActivities } from '../../activities';
import { createApiApp, type ApiDependencies } from '../api/app';
import { closeOrm, openOrm } from '../db/orm';
import { createPiiCipher } from '../db/pii-cipher';
import { createLianLianClient } from '../partners/lianlian';
import { createXjpClient } from '../partners/xjp';
import { temporalConnectionOptions } from '../temporal/connection-options';
import { engineDataConverter } from '../temporal/data-converter';
import { AesGcmPayloadCodec } from '../temporal/payload-codec';
import { ensureAccrualSchedule } from '../temporal/accrual-schedule';
import { ensureMissingRunSweepSchedule } from '../temporal/missing-run-schedule';
import { ensureReconciliationSchedule } from '../temporal/reconciliation-schedule';
import { ensureWebhookDispatchSchedule } from '../temporal/webhook-schedule';
import { webhookEndpoints } from '../config/webhook-config';
import { connectApi, connectWorker, workerClientConnection } from '../temporal/connections';
import { engineClientInterceptors } from '../temporal/interceptors';
import { purchaseStarter } from '../temporal/purchase-start';
import { createPurchaseWorker, workerTuning } from '../temporal/worker';
import type { RuntimeConfig } from './runtime-config';
import { startOrUnwind, StopStack } from './stop-stack';
import { createWorkerHealthServer } from './worker-health';

/** Which halves of the engine this process runs. */
export interface EngineRoles {
  api: boolean;
  worker: boolean;
}

/** What the process set up before the engine: its tracing (src/observability/tracing.ts), when on. */
export interface EngineOptions {
  tracing?: Tracing;
}

/** A running engine: where its API listens (when it runs one), and how to stop it. */
export interface RunningEngine {
  apiUrl: string | undefined;
  /** Where the worker answers `/healthz` and `/readyz` (WORKER_HEALTH_BIND_ADDRESS); undefined without one. */
  workerHealthUrl: string | undefined;
  /** Settles when the worker stops: rejects if it failed on its own (lost server, fatal error); undefined without a worker. */
  workerStopped: Promise<void> | undefined;
  /** Stops the API, then the worker, then closes connections and the ORM; later calls wait for the first. */
  stop(): Promise<void>;
}

type SharedParts = Pick<ApiDependencies, 'orm' | 'xjp' | 'pii'> & { lianlian: ReturnType<typeof createLianLianClient> };

function partnerClients(config: RuntimeConfig): Pick<SharedParts, 'xjp' | 'lianlian'> {
  const signing = { platformPrivateKeyPem: config.PLATFORM_PRIVATE_KEY_PEM, timeoutMs: config.PARTNER_TIMEOUT_MS };
  return {
    xjp: createXjpClient({ baseUrl: config.XJP_BASE_URL, partnerId: config.XJP_PARTNER_ID, ...signing }),
    lianlian: createLianLianClient({
      baseUrl: config.LIANLIAN_BASE_URL,
      oidPartner: config.LIANLIAN_OID_PARTNER,
      ...signing,
    }),
  };
}

function shownUrl(host: string, port: number): string {
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Keep-alive sockets would hold close() open until they time out.
    server.closeIdleConnections();
  });
}

async function startApi(config: RuntimeConfig, parts: SharedParts, logger: Logger, stops: StopStack): Promise<string> {
  const connection = await connectApi(temporalConnectionOptions(config));
  stops.push('Temporal client connection', () => connection.close());
  // Runs before the connection closes and after the API server has stopped taking and answering requests.
  const shutdown = new AbortController();
  stops.push('Temporal calls still in flight', async () => shutdown.abort());
  // The purchase search attributes are registered by the set-up step (npm run temporal:setup), not here:
  // Temporal Cloud refuses it through this API, and self-hosted clusters keep it to administrators.
  const temporal = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: engineDataConverter(config.TEMPORAL_PAYLOAD_KEYS),
    interceptors: engineClientInterceptors(),
  });
  let draining = false;
  // Daily reconciliation at 02:00 Asia/Shanghai, the accrual batch at 00:05, the missing-run sweep every
  // minute and the webhook dispatch every 10 seconds; creating them again on every start only updates them.
  await ensureReconciliationSchedule(temporal, { taskQueue: config.TEMPORAL_TASK_QUEUE });
  await ensureAccrualSchedule(temporal, { taskQueue: config.TEMPORAL_TASK_QUEUE });
  await ensureMissingRunSweepSchedule(temporal, { taskQueue: config.TEMPORAL_TASK_QUEUE });
  await ensureWebhookDispatchSchedule(temporal, { taskQueue: config.TEMPORAL_TASK_QUEUE });
  const app = createApiApp({
    orm: parts.orm,
    xjp: parts.xjp,
    pii: parts.pii,
    temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    paymentWindowMs: config.PAYMENT_WINDOW_MINUTES * 60_000,
    apiKeys: config.API_KEYS,
    operators: config.OPERATOR_KEYS,
    memberTokenKeys: config.MEMBER_TOKEN_KEYS,
    memberTokenAudience: config.MEMBER_TOKEN_AUDIENCE,
    xjpPublicKeyPem: config.XJP_PUBLIC_KEY_PEM,
    lianlianPublicKeyPem: config.LIANLIAN_PUBLIC_KEY_PEM,
    lianlianOidPartner: config.LIANLIAN_OID_PARTNER,
    rateLimits: { v1PerMinute: config.RATE_LIMIT_V1_PER_MINUTE, notifyPerMinute: config.RATE_LIMIT_NOTIFY_PER_MINUTE },
    logger,
    isDraining: () => draining,
    shutdownSignal: shutdown.signal,
    ...(config.TEMPORAL_PAYLOAD_KEYS.length === 0
      ? {}
      : {
          codec: {
            codec: new AesGcmPayloadCodec(config.TEMPORAL_PAYLOAD_KEYS),
            corsOrigins: config.TEMPORAL_CODEC_CORS_ORIGINS,
          },
        }),
  });
  const server = createServer(app);
  const address = await listen(server, config.API_PORT, config.API_HOST);
  stops.push('API server', async () => {
    // /readyz answers 503 from here on, so a load balancer stops sending before the listener closes.
    draining = true;
    if (config.API_DRAIN_DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, config.API_DRAIN_DELAY_MS));
    await closeServer(server);
  });
  return shownUrl(config.API_HOST, address.port);
}

async function startWorker(
  config: RuntimeConfig,
  parts: SharedParts,
  logger: Logger,
  stops: StopStack,
  tracing: Tracing | undefined,
): Promise<{ stopped: Promise<void>; healthUrl: string | undefined }> {
  const connection = await connectWorker(temporalConnectionOptions(config), (message) => logger.warn(message));
  stops.push('Temporal worker connection', () => connection.close());
  const clientConnection = workerClientConnection(temporalConnectionOptions(config));
  stops.push('Temporal client connection of the worker', () => clientConnection.close());
  const client = new Client({
    connection: clientConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: engineDataConverter(config.TEMPORAL_PAYLOAD_KEYS),
    interceptors: engineClientInterceptors(),
  });
  const activities = createWorkerActivities({
    orm: parts.orm,
    xjp: parts.xjp,
    lianlian: parts.lianlian,
    pii: parts.pii,
    payoutNotifyUrl: `${config.PUBLIC_BASE_URL}/notify/lianlian/payout`,
    refundNotifyUrl: `${config.PUBLIC_BASE_URL}/notify/lianlian/refund`,
    purchaseStarter: purchaseStarter(client, config.TEMPORAL_TASK_QUEUE, config.PAYMENT_WINDOW_MINUTES * 60_000),
    webhooks: { endpoints: webhookEndpoints(config), timeoutMs: config.WEBHOOK_TIMEOUT_MS },
  });
  const worker = await createPurchaseWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities,
    dataConverter: engineDataConverter(config.TEMPORAL_PAYLOAD_KEYS),
    tuning: workerTuning(config),
    ...(tracing === undefined ? {} : { tracing }),
  });
  // Before the worker's own stop entry: the probes answer until the worker has finished its tasks.
  const healthUrl = await startWorkerHealth(config, worker, stops);
  const running = worker.run();
  stops.push('purchase worker', async () => {
    // Lets in-flight activities finish (the SDK's shutdown grace), then resolves when run() ends.
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  });
  // Wrapped: an async function returning the promise itself would wait for the worker to stop.
  return { stopped: running, healthUrl };
}

async function startWorkerHealth(
  config: RuntimeConfig,
  worker: Parameters<typeof createWorkerHealthServer>[0],
  stops: StopStack,
): Promise<string | undefined> {
  if (config.WORKER_HEALTH_BIND_ADDRESS === undefined) return undefined;
  const [host = '127.0.0.1', port = '0'] = config.WORKER_HEALTH_BIND_ADDRESS.split(':');
  const server = createWorkerHealthServer(worker);
  const address = await listen(server, Number(port), host);
  stops.push('worker health server', () => closeServer(server));
  return shownUrl(host, address.port);
}

/**
 * Starts the parts `roles` names; on a failed start, stops whatever had started and rethrows. The
 * engine's stop ends with the tracing's, so the spans of the stop itself are sent too.
 */
export async function startEngine(
  config: RuntimeConfig,
  roles: EngineRoles,
  logger: Logger,
  options: EngineOptions = {},
): Promise<RunningEngine> {
  const stops = new StopStack();
  const { tracing } = options;
  if (tracing !== undefined) stops.push('tracing', () => tracing.shutdown());
  return startOrUnwind(stops, async () => {
    const orm = await openOrm(config.DATABASE_URL);
    stops.push('database pool', () => closeOrm(orm));
    const parts: SharedParts = { orm, pii: createPiiCipher(config.PII_ENCRYPTION_KEY), ...partnerClients(config) };
    const worker = roles.worker ? await startWorker(config, parts, logger, stops, tracing) : undefined;
    const apiUrl = roles.api ? await startApi(config, parts, logger, stops) : undefined;
    return { apiUrl, workerHealthUrl: worker?.healthUrl, workerStopped: worker?.stopped, stop: () => stops.stopAll() };
  });
}

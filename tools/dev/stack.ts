/**
 * The whole system on one machine, in one process tree: embedded PostgreSQL (persistent, migrated),
 * the Temporal CLI dev server with its Web UI (persistent SQLite), both partner simulators, and the
 * engine's API and worker started from a configuration parsed exactly as the deployed entries parse
 * theirs. `npm run dev` runs it with the defaults; the end-to-end test runs it on temp dirs and free ports.
 */
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { closeOrm, openOrm } from '../../src/db/orm';
import { createLogger } from '../../src/logging/logger';
import { startConfiguredTracing } from '../../src/observability/tracing';
import { startEngine } from '../../src/runtime/engine';
import { assertPortFree } from '../../src/net/ports';
import { FILE_SUFFIX, loadRuntimeConfig } from '../../src/runtime/runtime-config';
import { startOrUnwind, StopStack } from '../../src/runtime/stop-stack';
import { createLianLianSimulator } from '../sim/lianlian/simulator';
import { lianLianOptionsFromEnv, loadSimEnv, xjpOptionsFromEnv } from '../sim/sim-env';
import { createXjpSimulator } from '../sim/xjp/simulator';
import { registerSearchAttributes } from '../../src/temporal/search-attributes';
import { startDevServer } from '../temporal/servers';
import { DEV_WEBHOOK_RECEIVER_PORT, startDevWebhookReceiver } from '../webhook-receiver/dev-receiver';
import { startCodecRelay } from './codec-relay';
import { ensureDevSecrets, readDevApiKey, readDevMemberTokenKey, readDevOperatorKey } from './dev-secrets';
import { ensureStackSecrets } from './stack-secrets';
import { mintMemberToken } from './member-token';

/** The TCP ports the stack listens on (all on 127.0.0.1). */
export interface DevStackPorts {
  api: number;
  xjpSim: number;
  lianlianSim: number;
  temporal: number;
  temporalUi: number;
  postgres: number;
}

/** `npm run dev`'s ports; docker-compose.yml publishes the same ones (test/compose checks it). */
export const DEV_PORTS: Readonly<DevStackPorts> = {
  api: 3000,
  xjpSim: 4100,
  lianlianSim: 4200,
  temporal: 7233,
  temporalUi: 8233,
  postgres: 54329,
};

/** The repository's `.data/`: git-ignored, kept between runs. */
export const DEV_DATA_DIR = resolve(__dirname, '..', '..', '.data');

/** The Temporal namespace the stack creates and the engine uses. */
const NAMESPACE = 'default';

/** The UI server dials the frontend on its own schedule after the frontend answers; seconds, not minutes. */
const UI_READY_TIMEOUT_MS = 60_000;

/** What a caller may change. */
export interface DevStackOptions {
  /** Holds `postgres/`, `temporal/`, `simulators/` and `keys/`; default the repository's `.data/`. */
  dataDir?: string;
  ports?: Partial<DevStackPorts>;
  /** An existing PostgreSQL to use instead of the embedded one. */
  databaseUrl?: string;
  /** Extra engine configuration (e.g. PAYMENT_WINDOW_MINUTES); the stack's own addresses and keys win. */
  env?: NodeJS.ProcessEnv;
  /** Where the platform's stand-in receives webhooks (tools/webhook-receiver); default 4300, 0 any free port. */
  webhookReceiverPort?: number;
  /** `inherit` shows the Temporal server's own output; default `quiet`. */
  serverOutput?: 'inherit' | 'quiet';
  logger?: Logger;
}

/** Where each part answers. */
export interface DevStackUrls {
  api: string;
  temporalUi: string;
  /** host:port of Temporal's gRPC frontend. */
  temporal: string;
  xjpSim: string;
  lianlianSim: string;
  /** The codec endpoint the Web UI decodes payloads through: a relay to the API's `/codec` (tools/dev/codec-relay.ts). */
  codec: string;
  /** Where the engine delivers order events (WEBHOOK_ENDPOINTS); the stack's log shows each delivery. */
  webhookReceiver: string;
}

/** A running stack. */
export interface DevStack {
  urls: DevStackUrls;
  /** The `X-Api-Key` the API accepts (random, made on the stack's first run). */
  apiKey: string;
  dataDir: string;
  /** The file holding the payload encryption key (TEMPORAL_PAYLOAD_KEYS_FILE). */
  payloadKeysFile: string;
  /** A fresh member token for `memberId`, as the platform's backend would mint it (`npm run member-token`). */
  memberToken(memberId: string): Promise<string>;
  /** Stops every part in the reverse of the order it started; later calls wait for the first. */
  stop(): Promise<void>;
}

/** Waits until the Web UI's server answers for the namespace, i.e. has reached the frontend too. */
async function waitForWebUi(uiUrl: string): Promise<void> {
  const deadline = Date.now() + UI_READY_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${uiUrl}/api/v1/namespaces/${NAMESPACE}`);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the Temporal Web UI at ${uiUrl} did not answer within ${UI_READY_TIMEOUT_MS} ms (${last})`);
}

async function migratedDatabase(
  options: DevStackOptions,
  dataDir: string,
  port: number,
  stops: StopStack,
  logger: Logger,
): Promise<string> {
  let url = options.databaseUrl;
  if (url === undefined) {
    const wanted = join(dataDir, 'postgres');
    const pg = await startEmbeddedPostgres({ dataDir: wanted, port, persistent: true });
    stops.push('PostgreSQL', pg.stop);
    // A checkout under a private directory: PostgreSQL (run as the postgres user) keeps its data where it can reach it.
    if (pg.dataDir !== wanted)
      logger.info(`PostgreSQL data is in ${pg.dataDir}: the postgres user cannot enter the way to ${wanted}`);
    url = pg.url;
  }
  const orm = await openOrm(url);
  try {
    await orm.getMigrator().up();
  } finally {
    await closeOrm(orm);
  }
  return url;
}

/** The set-up step a cluster's administrator runs (npm run temporal:setup): the engine does not register search attributes itself. */
async function setUpNamespace(address: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await registerSearchAttributes(connection, NAMESPACE);
  } finally {
    await connection.close();
  }
}

/** Starts every part, in dependency order; a part that fails to start stops those before it. */
export async function startDevStack(options: DevStackOptions = {}): Promise<DevStack> {
  const ports: DevStackPorts = { ...DEV_PORTS, ...options.ports };
  const dataDir = resolve(options.dataDir ?? DEV_DATA_DIR);
  const logger = options.logger ?? createLogger('dev');
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const stops = new StopStack();

  // Every port checked before anything starts: a taken one ends the start in a second, naming it.
  for (const [part, port] of Object.entries(ports)) {
    if (part !== 'postgres' || options.databaseUrl === undefined) await assertPortFree(port, `the dev stack's ${part}`);
  }

  return startOrUnwind(stops, async () => {
    const keysDir = join(dataDir, 'keys');
    // Payloads encrypted as in a deployment, with a key made once into .data/keys/payload-keys.
    const secretFiles = { ...ensureDevSecrets(keysDir), ...ensureStackSecrets(keysDir) };
    const databaseUrl = await migratedDatabase(options, dataDir, ports.postgres, stops, logger);

    // Before the dev server, whose Web UI is told its address; it reaches the API once that is up.
    const uiOrigin = `http://127.0.0.1:${ports.temporalUi}`;
    const codecRelay = await startCodecRelay({
      apiCodecUrl: `${apiUrl}/codec`,
      operatorKey: readDevOperatorKey(keysDir, 'viewer'),
      uiOrigins: [uiOrigin, `http://localhost:${ports.temporalUi}`],
    });
    stops.push('codec relay', codecRelay.stop);

    const temporal = await startDevServer({
      uiCodecEndpoint: codecRelay.url,
      port: ports.temporal,
      uiPort: ports.temporalUi,
      dbFilename: join(dataDir, 'temporal', 'dev-server.sqlite'),
      namespace: NAMESPACE,
      output: options.serverOutput ?? 'quiet',
    });
    stops.push('Temporal dev server', temporal.stop);
    await setUpNamespace(temporal.address);
    const temporalUi = temporal.uiUrl ?? `http://127.0.0.1:${ports.temporalUi}`;
    await waitForWebUi(temporalUi);

    const simEnv = loadSimEnv({
      SIM_KEYS_DIR: keysDir,
      // Beside PostgreSQL's data: an order in flight finds its partners' books after a restart.
      SIM_STATE_DIR: join(dataDir, 'simulators'),
      XJP_SIM_PORT: String(ports.xjpSim),
      LIANLIAN_SIM_PORT: String(ports.lianlianSim),
      PUBLIC_BASE_URL: apiUrl,
    });
    const lianlian = await createLianLianSimulator(lianLianOptionsFromEnv(simEnv)).listen(ports.lianlianSim);
    stops.push('LianLian simulator', lianlian.close);
    const xjp = await createXjpSimulator(xjpOptionsFromEnv(simEnv)).listen(ports.xjpSim);
    stops.push('XJP simulator', xjp.close);
    const webhooks = await startDevWebhookReceiver(
      keysDir,
      options.webhookReceiverPort ?? DEV_WEBHOOK_RECEIVER_PORT,
      logger,
    );
    stops.push('webhook receiver', webhooks.receiver.close);

    const config = loadRuntimeConfig({
      ...options.env,
      ...secretFiles,
      ...webhooks.env,
      // A key set directly would win over its file: the stack's keys must match its simulators'.
      ...Object.fromEntries(
        [...Object.keys(secretFiles), 'WEBHOOK_SECRETS_FILE'].map((fileKey) => [
          fileKey.slice(0, -FILE_SUFFIX.length),
          undefined,
        ]),
      ),
      DATABASE_URL: databaseUrl,
      API_HOST: '127.0.0.1',
      API_PORT: String(ports.api),
      PUBLIC_BASE_URL: apiUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      XJP_BASE_URL: xjp.url,
      LIANLIAN_BASE_URL: lianlian.url,
    });
    // Off unless OTEL_EXPORTER_OTLP_ENDPOINT names a collector, as in the deployed processes.
    const tracing = startConfiguredTracing({
      otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: config.OTEL_SERVICE_NAME ?? 'xjp-order-engine-dev',
    });
    const engine = await startEngine(config, { api: true, worker: true }, logger, tracing ? { tracing } : {});
    stops.push('engine (API, worker)', engine.stop);

    return {
      urls: {
        api: engine.apiUrl ?? apiUrl,
        temporalUi,
        temporal: temporal.address,
        xjpSim: xjp.url,
        lianlianSim: lianlian.url,
        codec: codecRelay.url,
        webhookReceiver: webhooks.receiver.url,
      },
      apiKey: readDevApiKey(keysDir),
      dataDir,
      payloadKeysFile: secretFiles.TEMPORAL_PAYLOAD_KEYS_FILE,
      memberToken: (memberId) =>
        mintMemberToken(readDevMemberTokenKey(keysDir), memberId, { audience: config.MEMBER_TOKEN_AUDIENCE }),
      stop: () => stops.stopAll(),
    };
  });
}

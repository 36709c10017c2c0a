/**
 * The production-shape stack (`npm run stack`): what a deployment runs, on this machine, without
 * Docker. PostgreSQL (embedded, or DATABASE_URL); the real Temporal server on PostgreSQL
 * persistence and visibility (tools/temporal/cluster.ts); the namespace and search attributes made
 * by the engine's own set-up command; the Web UI server when provisioned; both simulators; and two
 * API and two worker processes run as `node dist/…` from `npm run build`, with random credentials
 * and encrypted payloads. `npm run dev` is quicker to start and reloads sources; this is for
 * trying the deployed shape: several processes, graceful stops, the codec, PostgreSQL visibility.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { startOrUnwind, StopStack } from '../../src/runtime/stop-stack';
import { createLianLianSimulator } from '../sim/lianlian/simulator';
import { lianLianOptionsFromEnv, loadSimEnv, xjpOptionsFromEnv } from '../sim/sim-env';
import { createXjpSimulator } from '../sim/xjp/simulator';
import { startCluster, startClusterUi, type ClusterDatabase } from '../temporal/cluster';
import { clusterPaths } from '../temporal/provision-cluster';
import { freePort } from '../temporal/servers';
import { ensureDevSecrets } from './dev-secrets';
import { DIST_DIR, runEngineCommand, startEngineProcess, waitForOk, type EngineProcess } from './engine-process';
import { type DevStackPorts } from './stack';
import { ensureStackSecrets } from './stack-secrets';

/** Ports of the parts with fixed addresses (the engine processes' own follow from `api`): the dev stack's and the workers' probes. */
export interface ProductionStackPorts extends DevStackPorts {
  workerHealth: number;
}

/** `npm run stack`'s ports: `npm run dev`'s where the part is the same (run one at a time); the second API and worker take the next port. */
export const STACK_PORTS: Readonly<ProductionStackPorts> = {
  api: 3000,
  xjpSim: 4100,
  lianlianSim: 4200,
  temporal: 7233,
  temporalUi: 8233,
  postgres: 54329,
  workerHealth: 9465,
};

const NAMESPACE = 'default';
/** Two of each: enough to show that any API serves any order and that a worker can leave mid-run. */
const REPLICAS = 2;
/** Compiled processes start in seconds; a loaded two-core machine takes longer. */
const PROCESS_READY_TIMEOUT_MS = 120_000;

/** What a caller may change. */
export interface ProductionStackOptions {
  /** Holds `postgres/`, `temporal/`, `keys/` and `logs/`; default the repository's `.data/stack/`. */
  dataDir?: string;
  ports?: Partial<ProductionStackPorts>;
  databaseUrl?: string;
  /** Start the Web UI server when it has been provisioned; default true. */
  withUi?: boolean;
  /**
   * The compiled tree the engine processes run from; default the repository's `dist/`. A copy of
   * `dist/` beside `npm ci --omit=dev` resolves its modules there: the install a deployment has.
   */
  distDir?: string;
}

/** A running production-shape stack. */
export interface ProductionStack {
  apiUrls: string[];
  workerHealthUrls: string[];
  workers: EngineProcess[];
  temporalAddress: string;
  /** Undefined when the Web UI server is not provisioned. */
  temporalUiUrl: string | undefined;
  xjpSimUrl: string;
  lianlianSimUrl: string;
  /** The files holding the API key, operator key etc. (the values are random, never printed). */
  keysDir: string;
  logDir: string;
  stop(): Promise<void>;
}

function clusterDatabase(url: string): ClusterDatabase {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

/** Starts every part in dependency order; a part that fails to start stops those before it. */
export async function startProductionStack(options: ProductionStackOptions = {}): Promise<ProductionStack> {
  const distDir = options.distDir ?? DIST_DIR;
  if (!existsSync(join(distDir, 'workflow-bundle.js')))
    throw new Error(`no compiled engine in ${distDir}: run npm run build first`);
  const ports: ProductionStackPorts = { ...STACK_PORTS, ...options.ports };
  const dataDir = resolve(options.dataDir ?? join(__dirname, '..', '..', '.data', 'stack'));
  const logDir = join(dataDir, 'logs');
  const stops = new StopStack();

  return startOrUnwind(stops, async () => {
    const keysDir = join(dataDir, 'keys');
    const secretFiles = { ...ensureDevSecrets(keysDir), ...ensureStackSecrets(keysDir) };

    let databaseUrl = options.databaseUrl;
    if (databaseUrl === undefined) {
      const pg = await startEmbeddedPostgres({
        dataDir: join(dataDir, 'postgres'),
        port: ports.postgres,
        persistent: true,
      });
      stops.push('PostgreSQL', pg.stop);
      databaseUrl = pg.url;
    }

    const cluster = await startCluster({
      dataDir: join(dataDir, 'temporal'),
      database: clusterDatabase(databaseUrl),
      port: ports.temporal,
    });
    stops.push('Temporal server', cluster.stop);
    const temporalEnv = { TEMPORAL_ADDRESS: cluster.address, TEMPORAL_NAMESPACE: NAMESPACE };
    // What an administrator runs once per cluster; the engine's processes need no operator rights.
    await runEngineCommand(
      'temporal-setup',
      'src/runtime/temporal-setup-main.js',
      ['--namespace', '--search-attributes'],
      temporalEnv,
      logDir,
      distDir,
    );
    await runEngineCommand(
      'migrate',
      'src/db/migrate-cli.js',
      ['up'],
      { NODE_ENV: 'production', DATABASE_URL: databaseUrl },
      logDir,
      distDir,
    );

    const apiUrls = Array.from({ length: REPLICAS }, (_, i) => `http://127.0.0.1:${ports.api + i}`);
    let temporalUiUrl: string | undefined;
    if ((options.withUi ?? true) && existsSync(clusterPaths.uiServer)) {
      const ui = await startClusterUi({
        dataDir: join(dataDir, 'temporal'),
        temporalAddress: cluster.address,
        port: ports.temporalUi,
        codecEndpoint: `${apiUrls[0]}/codec`,
      });
      stops.push('Temporal Web UI', ui.stop);
      temporalUiUrl = ui.url;
    }

    const simEnv = loadSimEnv({
      SIM_KEYS_DIR: keysDir,
      XJP_SIM_PORT: String(ports.xjpSim),
      LIANLIAN_SIM_PORT: String(ports.lianlianSim),
      PUBLIC_BASE_URL: apiUrls[0],
    });
    const lianlian = await createLianLianSimulator(lianLianOptionsFromEnv(simEnv)).listen(ports.lianlianSim);
    stops.push('LianLian simulator', lianlian.close);
    const xjp = await createXjpSimulator(xjpOptionsFromEnv(simEnv)).listen(ports.xjpSim);
    stops.push('XJP simulator', xjp.close);

    const engineEnv: NodeJS.ProcessEnv = {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      ...temporalEnv,
      ...secretFiles,
      PUBLIC_BASE_URL: apiUrls[0],
      XJP_BASE_URL: xjp.url,
      LIANLIAN_BASE_URL: lianlian.url,
      ...(temporalUiUrl === undefined ? {} : { TEMPORAL_CODEC_CORS_ORIGINS: temporalUiUrl }),
    };
    const workers: EngineProcess[] = [];
    const workerHealthUrls: string[] = [];
    for (let i = 0; i < REPLICAS; i++) {
      const healthPort = ports.workerHealth + i;
      const worker = await startEngineProcess(
        `worker-${i + 1}`,
        'src/runtime/worker-main.js',
        {
          ...engineEnv,
          WORKER_HEALTH_BIND_ADDRESS: `127.0.0.1:${healthPort}`,
          TEMPORAL_METRICS_BIND_ADDRESS: `127.0.0.1:${await freePort()}`,
          TEMPORAL_WORKER_IDENTITY: `stack-worker-${i + 1}`,
        },
        logDir,
        distDir,
      );
      stops.push(`worker ${i + 1}`, async () => void (await worker.stop()));
      workers.push(worker);
      workerHealthUrls.push(`http://127.0.0.1:${healthPort}`);
    }
    for (let i = 0; i < REPLICAS; i++) {
      const api = await startEngineProcess(
        `api-${i + 1}`,
        'src/runtime/api-main.js',
        { ...engineEnv, API_HOST: '127.0.0.1', API_PORT: String(ports.api + i), API_DRAIN_DELAY_MS: '1000' },
        logDir,
        distDir,
      );
      stops.push(`API ${i + 1}`, async () => void (await api.stop()));
    }
    await Promise.all(
      [...apiUrls, ...workerHealthUrls].map((base) => waitForOk(`${base}/readyz`, PROCESS_READY_TIMEOUT_MS)),
    );

    return {
      apiUrls,
      workerHealthUrls,
      workers,
      temporalAddress: cluster.address,
      temporalUiUrl,
      xjpSimUrl: xjp.url,
      lianlianSimUrl: lianlian.url,
      keysDir,
      logDir,
      stop: () => stops.stopAll(),
    };
  });
}

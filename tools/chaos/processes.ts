/**
 * The parts of the fault suite's stack and how each is killed and started again: embedded
 * PostgreSQL and the simulators in this process, the Temporal CLI dev server, the API and the
 * worker as child processes, so a SIGKILL hits each as a crash would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { findFreePort, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/db/embedded-postgres';
import { closeOrm, openOrm } from '../../src/db/orm';
import { registerSearchAttributes } from '../../src/temporal/search-attributes';
import { ensureDevSecrets, OPERATOR_KEYS_FILE, readDevApiKey, readDevMemberTokenKey } from '../dev/dev-secrets';
import type { MemberTokenSigningKey } from '../dev/member-token';
import { createLianLianSimulator } from '../sim/lianlian/simulator';
import type { RunningSimulator } from '../sim/common/listen';
import { lianLianOptionsFromEnv, loadSimEnv, xjpOptionsFromEnv } from '../sim/sim-env';
import { createXjpSimulator } from '../sim/xjp/simulator';
import { DEV_SERVER_DYNAMIC_CONFIG, findLocalExecutable, provisionServer } from '../temporal/servers';

const ROOT = resolve(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** The ports of one run, all on 127.0.0.1. */
export interface ChaosPorts {
  api: number;
  temporal: number;
  postgres: number;
  xjp: number;
  lianlian: number;
  metrics: number;
}

async function ports(): Promise<ChaosPorts> {
  const taken = new Set<number>();
  const next = async (): Promise<number> => {
    let port = await findFreePort();
    while (taken.has(port)) port = await findFreePort();
    taken.add(port);
    return port;
  };
  return {
    api: await next(),
    temporal: await next(),
    postgres: await next(),
    xjp: await next(),
    lianlian: await next(),
    metrics: await next(),
  };
}

async function until(what: string, timeoutMs: number, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} was not ready within ${timeoutMs} ms`);
    await delay(250);
  }
}

/** A child process the suite may kill and start again. */
class Child {
  private process: ChildProcess | undefined;
  /** Starts after the first: one per fault injected into this part. */
  restarts = 0;

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly ready: () => Promise<boolean>,
    private readonly readyTimeoutMs: number,
    /** Each start's output is appended to `<logDir>/<name>.log`, kept after the run for the findings. */
    private readonly logDir: string,
  ) {}

  async start(): Promise<void> {
    if (this.process !== undefined) this.restarts += 1;
    // Its own process group: tsx runs the entry in a child node, and a crash must take both.
    const child = spawn(this.command, this.args, {
      cwd: ROOT,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let tail = '';
    const log = createWriteStream(join(this.logDir, `${this.name.replace(/\W+/g, '-')}.log`), { flags: 'a' });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        tail = (tail + chunk.toString()).slice(-4000);
        log.write(chunk);
      });
    }
    this.process = child;
    try {
      await until(this.name, this.readyTimeoutMs, async () => {
        if (child.exitCode !== null) throw new Error(`${this.name} exited (${String(child.exitCode)}): ${tail}`);
        return this.ready();
      });
    } catch (error) {
      this.signalGroup('SIGKILL');
      throw error;
    }
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.process?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group has already gone.
    }
  }

  /** SIGKILL: no shutdown hook runs, as in a crash. */
  async kill(): Promise<void> {
    const child = this.process;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    this.signalGroup('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    this.signalGroup('SIGTERM');
    await Promise.race([exited, delay(15_000).then(() => this.signalGroup('SIGKILL'))]);
  }
}

/** The running stack of one fault-suite run. */
export interface ChaosStack {
  ports: ChaosPorts;
  apiUrl: string;
  xjpUrl: string;
  lianlianUrl: string;
  databaseUrl: string;
  apiKey: string;
  operatorKey: string;
  /** The key the platform's backend mints member tokens with on this stack. */
  memberTokenKey: MemberTokenSigningKey;
  xjpPrivateKeyPem: string;
  lianlianPrivateKeyPem: string;
  temporalAddress: string;
  api: Child;
  worker: Child;
  temporal: Child;
  killPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  stop(): Promise<void>;
}

/** The key of this stack's operator with `role` (OPERATOR_KEYS entries are `name:role:key`). */
function operatorKeyOf(keysDir: string, role: string): string {
  const entry = readFileSync(join(keysDir, OPERATOR_KEYS_FILE), 'utf8')
    .trim()
    .split(',')
    .find((e) => e.split(':')[1] === role);
  return entry?.split(':')[2] ?? '';
}

/** Starts PostgreSQL (migrated), Temporal, both simulators, then the API and the worker as separate processes. */
export async function startChaosStack(
  dataDir: string,
  logDir: string,
  paymentWindowMinutes: number,
): Promise<ChaosStack> {
  const p = await ports();
  const keysDir = join(dataDir, 'keys');
  const secretFiles = ensureDevSecrets(keysDir);
  const pgDir = join(dataDir, 'postgres');
  let pg: EmbeddedPostgresHandle = await startEmbeddedPostgres({ dataDir: pgDir, port: p.postgres, persistent: true });
  const orm = await openOrm(pg.url);
  await orm.getMigrator().up();
  await closeOrm(orm);

  const temporalPath = (findLocalExecutable('dev-server') ?? (await provisionServer('dev-server'))).path;
  const temporalArgs = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(p.temporal),
    '--headless',
    '--log-level',
    'error',
    '--db-filename',
    join(dataDir, 'temporal.sqlite'),
  ];
  for (const value of DEV_SERVER_DYNAMIC_CONFIG) temporalArgs.push('--dynamic-config-value', value);
  const temporalAddress = `127.0.0.1:${p.temporal}`;
  const temporal = new Child(
    'Temporal dev server',
    temporalPath,
    temporalArgs,
    process.env,
    async () => {
      const connection = await Connection.connect({ address: temporalAddress, connectTimeout: '1 second' });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return true;
    },
    120_000,
    logDir,
  );
  await temporal.start();
  // The set-up step a deployment runs once (npm run temporal:setup): the API no longer registers them.
  const setup = await Connection.connect({ address: temporalAddress });
  try {
    await registerSearchAttributes(setup, 'default');
  } finally {
    await setup.close();
  }

  const apiUrl = `http://127.0.0.1:${p.api}`;
  const simEnv = loadSimEnv({
    SIM_KEYS_DIR: keysDir,
    PUBLIC_BASE_URL: apiUrl,
    SIM_STATE_DIR: join(dataDir, 'simulators'),
  });
  const lianlian: RunningSimulator = await createLianLianSimulator({
    ...lianLianOptionsFromEnv(simEnv),
    notificationRetry: { attempts: 30, baseDelayMs: 2_000, factor: 1 },
    payout: { stepDelayMs: 200, checkHoldMs: 60_000, reversalDelayMs: 60_000, duplicateWindowMs: 1 },
  }).listen(p.lianlian);
  const xjp: RunningSimulator = await createXjpSimulator({
    ...xjpOptionsFromEnv({ ...simEnv, LIANLIAN_BASE_URL: lianlian.url }),
    notificationRetry: { attempts: 30, baseDelayMs: 1_000, factor: 1.5, maxDelayMs: 5_000 },
  }).listen(p.xjp);

  const engineEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...secretFiles,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: pg.url,
    API_HOST: '127.0.0.1',
    API_PORT: String(p.api),
    PUBLIC_BASE_URL: apiUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    XJP_BASE_URL: xjp.url,
    LIANLIAN_BASE_URL: lianlian.url,
    PAYMENT_WINDOW_MINUTES: String(paymentWindowMinutes),
    PARTNER_TIMEOUT_MS: '5000',
    // One API key sends the whole burst and the hostile requests: the suite measures what the engine does
    // with them, so the rate limits (tested in test/api/notifications.test.ts) must not refuse them first.
    RATE_LIMIT_V1_PER_MINUTE: '1000000',
    RATE_LIMIT_NOTIFY_PER_MINUTE: '1000000',
    TEMPORAL_METRICS_BIND_ADDRESS: `127.0.0.1:${p.metrics}`,
  };
  const api = new Child(
    'API',
    TSX,
    ['src/runtime/api-main.ts'],
    engineEnv,
    async () => (await fetch(`${apiUrl}/healthz`)).ok,
    180_000,
    logDir,
  );
  const worker = new Child(
    'worker',
    TSX,
    ['src/runtime/worker-main.ts'],
    engineEnv,
    async () => (await fetch(`http://127.0.0.1:${p.metrics}/metrics`)).ok,
    180_000,
    logDir,
  );
  await Promise.all([api.start(), worker.start()]);

  const postmasterPid = () => Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    ports: p,
    apiUrl,
    xjpUrl: xjp.url,
    lianlianUrl: lianlian.url,
    databaseUrl: pg.url,
    apiKey: readDevApiKey(keysDir),
    operatorKey: operatorKeyOf(keysDir, 'operator'),
    memberTokenKey: readDevMemberTokenKey(keysDir),
    xjpPrivateKeyPem: readFileSync(join(keysDir, 'xjp-private.pem'), 'utf8'),
    lianlianPrivateKeyPem: readFileSync(join(keysDir, 'lianlian-private.pem'), 'utf8'),
    temporalAddress,
    api,
    worker,
    temporal,
    async killPostgres() {
      process.kill(postmasterPid(), 'SIGKILL');
      await delay(1_000);
    },
    async startPostgres() {
      // Backends of the killed postmaster leave within moments; until then the data directory is still locked.
      await until('PostgreSQL restart', 60_000, async () => {
        pg = await startEmbeddedPostgres({ dataDir: pgDir, port: p.postgres, persistent: true });
        return true;
      });
    },
    async stop() {
      await api.stop();
      await worker.stop();
      await xjp.close();
      await lianlian.close();
      await temporal.stop();
      await pg.stop();
    },
  };
}

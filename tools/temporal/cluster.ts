/**
 * Runs the production-shape Temporal cluster on this machine, without Docker: the real server (all
 * four services in one process) on PostgreSQL persistence and PostgreSQL visibility, its schemas set
 * up by the server's own SQL tool, optionally TLS with client certificates on the frontend, and the
 * Web UI server. The programs come from `npm run provision:cluster` (tools/temporal/provision-cluster.ts).
 * Config files are written as JSON, which the server's YAML loader reads as YAML.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { clusterPaths, provisionCluster } from './provision-cluster';
import { OutputTail, runCommand, TemporalServerError } from './provision';
import { freePort, spawnServer, type RunningServer } from './servers';

/** The PostgreSQL the cluster stores into; its user must be allowed to create databases. */
export interface ClusterDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** TLS on the frontend: its certificate, and the CA whose client certificates it requires (mTLS). */
export interface ClusterTls {
  serverCertFile: string;
  serverKeyFile: string;
  clientCaFile: string;
  /** A client certificate of that CA for the server's own system worker. */
  systemWorkerCertFile: string;
  systemWorkerKeyFile: string;
  /** The name in the server certificate. */
  serverName: string;
}

/** What a caller chooses. */
export interface ClusterOptions {
  /** Holds the written config; the data itself lives in PostgreSQL. */
  dataDir: string;
  database: ClusterDatabase;
  /** Frontend gRPC port; a free one when omitted. */
  port?: number;
  tls?: ClusterTls;
  output?: 'inherit' | 'quiet';
}

/** A running cluster. */
export interface RunningCluster extends RunningServer {
  /** host:port of the frontend. */
  address: string;
}

const DATABASES = { temporal: 'temporal', visibility: 'temporal_visibility' } as const;

/** A new server takes seconds to elect its shards; a loaded two-core machine takes longer. */
const START_TIMEOUT_MS = 180_000;

/**
 * Creates the server's two databases and brings both schemas to the server's version, as the
 * admin-tools job of docker-compose.yml does; idempotent, so every start runs it.
 */
export async function setUpClusterSchemas(database: ClusterDatabase): Promise<void> {
  for (const [schema, name] of Object.entries(DATABASES)) {
    const base = [
      '--plugin',
      'postgres12',
      '--ep',
      database.host,
      '-p',
      String(database.port),
      '-u',
      database.user,
      '--pw',
      database.password,
      '--db',
      name,
    ];
    // Both fail harmlessly once done (database exists; schema_version exists): update-schema decides.
    await runCommand(clusterPaths.sqlTool, [...base, 'create-database']).catch(() => undefined);
    await runCommand(clusterPaths.sqlTool, [...base, 'setup-schema', '-v', '0.0']).catch(() => undefined);
    await runCommand(clusterPaths.sqlTool, [
      ...base,
      'update-schema',
      '-d',
      path.join(clusterPaths.postgresSchemaDir, schema, 'versioned'),
    ]);
  }
}

function datastore(database: ClusterDatabase, name: string, maxConns: number) {
  return {
    sql: {
      pluginName: 'postgres12',
      databaseName: name,
      connectAddr: `${database.host}:${database.port}`,
      connectProtocol: 'tcp',
      user: database.user,
      password: database.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  };
}

function tlsConfig(tls: ClusterTls) {
  const client = { serverName: tls.serverName, rootCaFiles: [tls.clientCaFile] };
  return {
    frontend: {
      server: {
        certFile: tls.serverCertFile,
        keyFile: tls.serverKeyFile,
        requireClientAuth: true,
        clientCaFiles: [tls.clientCaFile],
      },
      client,
    },
    systemWorker: { certFile: tls.systemWorkerCertFile, keyFile: tls.systemWorkerKeyFile, client },
  };
}

/** The dynamic config: update-with-start, and search attributes usable the moment they are registered. */
const DYNAMIC_CONFIG = {
  'frontend.enableUpdateWorkflowExecution': [{ value: true }],
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted': [{ value: true }],
  'frontend.enableExecuteMultiOperation': [{ value: true }],
  'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }],
};

/** The server stores membership ports as PostgreSQL `smallint`: the OS's ephemeral ports (above 32767) do not fit. */
async function freeMembershipPort(): Promise<number> {
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * 22_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

async function serverConfig(options: ClusterOptions, frontendPort: number, configDir: string): Promise<object> {
  const service = async (grpcPort: number) => ({
    rpc: { grpcPort, membershipPort: await freeMembershipPort(), bindOnLocalHost: true },
  });
  const dynamicConfigPath = path.join(configDir, 'dynamic-config.yaml');
  await writeFile(dynamicConfigPath, JSON.stringify(DYNAMIC_CONFIG, null, 2));
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: {
        'postgres-default': datastore(options.database, DATABASES.temporal, 20),
        'postgres-visibility': datastore(options.database, DATABASES.visibility, 4),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: {
        prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${await freePort()}` },
      },
      ...(options.tls === undefined ? {} : { tls: tlsConfig(options.tls) }),
    },
    services: {
      frontend: { rpc: { ...(await service(frontendPort)).rpc, httpPort: await freePort() } },
      history: await service(await freePort()),
      matching: await service(await freePort()),
      worker: await service(await freePort()),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `localhost:${frontendPort}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: dynamicConfigPath, pollInterval: '10s' },
  };
}

/** Provisions what is missing, sets up the schemas, then starts the server and waits until it answers. */
export async function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  await provisionCluster(() => undefined, { withUi: false });
  await setUpClusterSchemas(options.database);
  const port = options.port ?? (await freePort());
  const configDir = path.join(options.dataDir, 'config');
  await mkdir(configDir, { recursive: true });
  await writeFile(
    path.join(configDir, 'production-shape.yaml'),
    JSON.stringify(await serverConfig(options, port, configDir), null, 2),
  );
  const address = `127.0.0.1:${port}`;
  const server = await spawnServer(
    clusterPaths.server,
    ['--root', options.dataDir, '--config', 'config', '--env', 'production-shape', '--allow-no-auth', 'start'],
    address,
    // A TLS frontend cannot be probed in plain gRPC: listening is enough here, the caller's TLS connection proves the rest.
    {
      output: options.output ?? 'quiet',
      startTimeoutMs: START_TIMEOUT_MS,
      probe: options.tls === undefined ? 'grpc' : 'listen',
    },
  );
  try {
    if (options.tls === undefined) await waitForSystemNamespace(address);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return { ...server, address };
}

/** The frontend answers before the system namespace is usable; the first namespace call would fail. */
async function waitForSystemNamespace(address: string): Promise<void> {
  const connection = await Connection.connect({ address });
  const deadline = Date.now() + START_TIMEOUT_MS;
  const last = new OutputTail();
  try {
    for (;;) {
      try {
        await connection.workflowService.describeNamespace({ namespace: 'temporal-system' });
        return;
      } catch (err) {
        last.append(String(err));
        if (Date.now() > deadline)
          throw new TemporalServerError(
            'SERVER_START_TIMEOUT',
            `the cluster at ${address} did not serve its system namespace: ${last.toString()}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } finally {
    await connection.close();
  }
}

/** The Web UI server in front of the cluster, with the engine's codec endpoint for encrypted payloads. */
export interface ClusterUiOptions {
  dataDir: string;
  temporalAddress: string;
  port: number;
  codecEndpoint?: string;
  output?: 'inherit' | 'quiet';
}

/** Starts the Web UI server (provisioned by `npm run provision:cluster`); resolves once it listens. */
export async function startClusterUi(options: ClusterUiOptions): Promise<RunningServer & { url: string }> {
  if (!(await import('node:fs')).existsSync(clusterPaths.uiServer)) {
    throw new TemporalServerError(
      'EXECUTABLE_NOT_FOUND',
      `no Web UI server at ${clusterPaths.uiServer}: run npm run provision:cluster`,
    );
  }
  const configDir = path.join(options.dataDir, 'ui-config');
  await mkdir(configDir, { recursive: true });
  const url = `http://127.0.0.1:${options.port}`;
  const config = {
    temporalGrpcAddress: options.temporalAddress,
    host: '127.0.0.1',
    port: options.port,
    enableUi: true,
    defaultNamespace: 'default',
    cors: { allowOrigins: [url], cookieInsecure: true },
    ...(options.codecEndpoint === undefined
      ? {}
      : { codec: { endpoint: options.codecEndpoint, passAccessToken: true } }),
  };
  await writeFile(path.join(configDir, 'stack.yaml'), JSON.stringify(config, null, 2));
  const server = await spawnServer(
    clusterPaths.uiServer,
    ['--root', options.dataDir, '--config', 'ui-config', '--env', 'stack', 'start'],
    `127.0.0.1:${options.port}`,
    {
      output: options.output ?? 'quiet',
      probe: 'listen',
    },
  );
  return { ...server, url };
}

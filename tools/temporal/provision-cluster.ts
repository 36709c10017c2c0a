/**
 * Provisions the production-shape Temporal cluster's programs by building them with the machine's Go
 * from the Go module proxy, into `.cache/temporal/` beside the CLI: the real server
 * (`go.temporal.io/server/cmd/server`), its SQL schema tool (`cmd/tools/sql`) with the module's
 * PostgreSQL schemas, and the Web UI server (`github.com/temporalio/ui-server/v2/cmd/server`). The
 * versions are those the provisioned CLI embeds, so a warm module cache serves every source file.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { runCommand, TEMPORAL_CACHE_DIR, timedStep, type StepReporter } from './provision';

/** `go.temporal.io/server`: the release the CLI 1.5.1 dev server runs. */
export const SERVER_VERSION = '1.29.1';
/** `github.com/temporalio/ui-server/v2`: the Web UI the CLI 1.5.1 embeds. */
export const UI_SERVER_VERSION = '2.42.1';

const SERVER_MODULE = 'go.temporal.io/server';
const UI_SERVER_MODULE = 'github.com/temporalio/ui-server/v2';

const serverDir = path.join(TEMPORAL_CACHE_DIR, 'server', SERVER_VERSION);

/** Where the cluster's programs and schemas are once provisioned. */
export const clusterPaths = {
  server: path.join(serverDir, 'temporal-server'),
  sqlTool: path.join(serverDir, 'temporal-sql-tool'),
  /** `schema/postgresql/v12/{temporal,visibility}/versioned` of the server module. */
  postgresSchemaDir: path.join(serverDir, 'schema', 'postgresql', 'v12'),
  uiServer: path.join(TEMPORAL_CACHE_DIR, 'ui-server', UI_SERVER_VERSION, 'ui-server'),
} as const;

/** One Go build into a temporary GOBIN; the binary is moved into place only when the build is whole. */
async function goInstall(
  pkg: string,
  version: string,
  builtName: string,
  target: string,
  report: StepReporter,
): Promise<void> {
  if (existsSync(target)) {
    report({ step: `${pkg}@v${version}`, outcome: 'cached', durationMs: 0 });
    return;
  }
  await mkdir(TEMPORAL_CACHE_DIR, { recursive: true });
  const buildDir = await mkdtemp(path.join(TEMPORAL_CACHE_DIR, 'cluster-build-'));
  try {
    // -s -w: no debug tables (nobody reads them here) in binaries of a few hundred MB.
    await timedStep(`go install ${pkg}@v${version}`, report, () =>
      runCommand('go', ['install', '-trimpath', '-ldflags', '-s -w', `${pkg}@v${version}`], {
        cwd: buildDir,
        env: { ...process.env, GOBIN: buildDir },
      }),
    );
    await mkdir(path.dirname(target), { recursive: true });
    await rename(path.join(buildDir, builtName), target);
  } finally {
    await rm(buildDir, { recursive: true, force: true });
  }
}

/** Copies the server module's PostgreSQL schemas out of the module cache (which `go clean -modcache` may empty). */
async function copySchemas(report: StepReporter): Promise<void> {
  if (existsSync(clusterPaths.postgresSchemaDir)) {
    report({ step: 'PostgreSQL schemas', outcome: 'cached', durationMs: 0 });
    return;
  }
  await timedStep('PostgreSQL schemas', report, async () => {
    const { stdout } = await promisify(execFile)('go', [
      'mod',
      'download',
      '-json',
      `${SERVER_MODULE}@v${SERVER_VERSION}`,
    ]);
    const moduleDir = (JSON.parse(stdout) as { Dir: string }).Dir;
    await cp(path.join(moduleDir, 'schema', 'postgresql', 'v12'), clusterPaths.postgresSchemaDir, { recursive: true });
  });
}

/**
 * Builds whatever of the cluster is missing, one build after the other (each is CPU-bound and the
 * machines have two cores). `withUi: false` skips the Web UI server.
 */
export async function provisionCluster(
  report: StepReporter,
  options: { withUi?: boolean } = {},
): Promise<typeof clusterPaths> {
  await goInstall(`${SERVER_MODULE}/cmd/tools/sql`, SERVER_VERSION, 'sql', clusterPaths.sqlTool, report);
  await copySchemas(report);
  await goInstall(`${SERVER_MODULE}/cmd/server`, SERVER_VERSION, 'server', clusterPaths.server, report);
  if (options.withUi ?? true)
    await goInstall(`${UI_SERVER_MODULE}/cmd/server`, UI_SERVER_VERSION, 'server', clusterPaths.uiServer, report);
  return clusterPaths;
}

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { CLI_VERSION, cliCachedPath, runCommand, TEMPORAL_CACHE_DIR, timedStep, type StepReporter } from './provision';

const CLI_MODULE = 'github.com/temporalio/cli';

/**
 * Provisions the `temporal` CLI (dev server and Web UI) by building it with the machine's Go from
 * the Go module proxy into the cache. The binary reaches its final path only after a whole build,
 * so an interrupted run leaves nothing that looks provisioned. Returns the binary's path.
 */
export async function provisionDevServer(report: StepReporter): Promise<string> {
  if (existsSync(cliCachedPath)) {
    report({ step: `temporal CLI ${CLI_VERSION}`, outcome: 'cached', durationMs: 0 });
    return cliCachedPath;
  }
  await mkdir(TEMPORAL_CACHE_DIR, { recursive: true });
  const buildDir = await mkdtemp(path.join(TEMPORAL_CACHE_DIR, 'cli-build-'));
  try {
    // -X sets the version `temporal --version` prints (a module build otherwise says 0.0.0-DEV);
    // -s -w drops the debug tables, which nobody here reads, from a ~250 MB binary.
    const ldflags = `-s -w -X ${CLI_MODULE}/temporalcli.Version=${CLI_VERSION}`;
    await timedStep(`go install ${CLI_MODULE}/cmd/temporal@v${CLI_VERSION}`, report, () =>
      runCommand('go', ['install', '-trimpath', '-ldflags', ldflags, `${CLI_MODULE}/cmd/temporal@v${CLI_VERSION}`], {
        cwd: buildDir,
        env: { ...process.env, GOBIN: buildDir },
      }),
    );
    await mkdir(path.dirname(cliCachedPath), { recursive: true });
    await rename(path.join(buildDir, 'temporal'), cliCachedPath);
  } finally {
    await rm(buildDir, { recursive: true, force: true });
  }
  return cliCachedPath;
}

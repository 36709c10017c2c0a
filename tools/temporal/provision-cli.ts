/**
 * `npm run provision`: makes both Temporal servers available without the SDK's download, by
 * building them from the package registries into `.cache/temporal/`. Idempotent: a second run
 * finds the cache and does nothing. A server named by TEMPORAL_TEST_SERVER_PATH / TEMPORAL_CLI_PATH
 * is used as given and not provisioned.
 */
import { type StepReport } from './provision';
import { findLocalExecutable, provisionServer, type ServerKind } from './servers';

function printStep({ step, outcome, durationMs }: StepReport): void {
  console.log(outcome === 'cached' ? `${step}: cached` : `${step}: ${(durationMs / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  const started = performance.now();
  // One after the other: both builds are CPU-bound and the machines have two cores.
  for (const kind of ['time-skipping', 'dev-server'] satisfies ServerKind[]) {
    const local = findLocalExecutable(kind);
    if (local?.origin === 'env') {
      console.log(`${kind}: using ${local.path} (set in the environment)`);
      continue;
    }
    const { path } = await provisionServer(kind, printStep);
    console.log(`${kind}: ${path}`);
  }
  console.log(`provisioned in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});

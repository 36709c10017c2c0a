/**
 * `npm run provision:cluster`: builds the production-shape Temporal cluster (server, schema tool and
 * schemas, Web UI server) into `.cache/temporal/`, printing each step's duration; idempotent.
 */
import type { StepReport } from './provision';
import { provisionCluster } from './provision-cluster';

function printStep({ step, outcome, durationMs }: StepReport): void {
  console.log(outcome === 'cached' ? `${step}: cached` : `${step}: ${(durationMs / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const paths = await provisionCluster(printStep, { withUi: !process.argv.includes('--without-ui') });
  for (const [name, where] of Object.entries(paths)) console.log(`${name}: ${where}`);
  console.log(`provisioned in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});

/** `npm run dev`: the whole stack in this process tree, on the default ports and the repository's `.data/`. */
import { configSchema } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { installTemporalTelemetry } from '../../src/observability/temporal-metrics';
import { exitOnStartFailure, stopOnSignals } from '../../src/runtime/process-signals';
import { devBanner } from './banner';
import { startDevStack } from './stack';

const logger = createLogger('dev');

async function main(): Promise<void> {
  // As the worker entry does, before the first Temporal connection: JSON SDK logs, worker metrics.
  installTemporalTelemetry({
    metricsBindAddress: configSchema.shape.TEMPORAL_METRICS_BIND_ADDRESS.parse(
      process.env.TEMPORAL_METRICS_BIND_ADDRESS,
    ),
    logger,
  });
  console.log(
    'starting PostgreSQL, Temporal (first run: provisioning it may take minutes), simulators, API and worker…',
  );
  const stack = await startDevStack({
    // DATABASE_URL, when set, points the stack at that PostgreSQL instead of the embedded one.
    databaseUrl: process.env.DATABASE_URL === '' ? undefined : process.env.DATABASE_URL,
    env: process.env,
    logger,
  });
  stopOnSignals(stack.stop, logger);
  console.log(devBanner(stack));
}

main().catch(exitOnStartFailure(logger));

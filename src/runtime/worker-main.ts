/** The purchase worker as its own process (`npm run worker`): configuration from the environment, no API. */
import { redactConfig } from '../config/config';
import { createLogger } from '../logging/logger';
import { installTemporalTelemetry } from '../observability/temporal-metrics';
import { startConfiguredTracing } from '../observability/tracing';
import { startEngine } from './engine';
import { exitOnStartFailure, stopOnSignals } from './process-signals';
import { loadRuntimeConfig } from './runtime-config';

const logger = createLogger('worker');

async function main(): Promise<void> {
  const config = loadRuntimeConfig();
  logger.info({ config: redactConfig(config) }, 'starting the purchase worker');
  // Before the first connection: the SDK runtime (metrics endpoint, log sink) is created once per process.
  installTemporalTelemetry({ metricsBindAddress: config.TEMPORAL_METRICS_BIND_ADDRESS, logger });
  const tracing = startConfiguredTracing({
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: config.OTEL_SERVICE_NAME ?? 'xjp-order-engine-worker',
  });
  const engine = await startEngine(config, { api: false, worker: true }, logger, tracing ? { tracing } : {});
  stopOnSignals(engine.stop, logger);
  logger.info(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      namespace: config.TEMPORAL_NAMESPACE,
      metrics: `http://${config.TEMPORAL_METRICS_BIND_ADDRESS}/metrics`,
    },
    'worker polling',
  );
  // A worker that dies on its own leaves nothing to serve: exit so the supervisor restarts it.
  engine.workerStopped?.catch(async (err: unknown) => {
    logger.fatal({ err }, 'worker failed');
    await engine.stop().catch(() => undefined);
    process.exit(1);
  });
}

main().catch(exitOnStartFailure(logger));

/** The API as its own process (`npm start`): configuration from the environment, no worker. */
import { redactConfig } from '../config/config';
import { createLogger } from '../logging/logger';
import { startConfiguredTracing } from '../observability/tracing';
import { startEngine } from './engine';
import { exitOnStartFailure, stopOnSignals } from './process-signals';
import { loadRuntimeConfig } from './runtime-config';

const logger = createLogger('api');

async function main(): Promise<void> {
  const config = loadRuntimeConfig();
  logger.info({ config: redactConfig(config) }, 'starting the API');
  const tracing = startConfiguredTracing({
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: config.OTEL_SERVICE_NAME ?? 'xjp-order-engine-api',
  });
  const engine = await startEngine(config, { api: true, worker: false }, logger, tracing ? { tracing } : {});
  stopOnSignals(engine.stop, logger);
  logger.info({ url: engine.apiUrl }, 'API listening');
}

main().catch(exitOnStartFailure(logger));

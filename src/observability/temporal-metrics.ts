import { Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';
import { temporalLoggerOn } from './temporal-logger';

/** How the worker process's Temporal runtime reports. */
export interface TemporalTelemetryOptions {
  /** `host:port` of the runtime's own Prometheus endpoint (config TEMPORAL_METRICS_BIND_ADDRESS). */
  metricsBindAddress: string;
  /** Where workflow, activity and SDK log lines go, as JSON with `orderNo` (see temporal-logger.ts). */
  logger: Logger;
}

/**
 * Installs the Temporal SDK runtime with its Prometheus exporter and our JSON logger. The worker's own
 * metrics (workflow/activity task latencies, schedule-to-start, slots, sticky cache, polls…) are then
 * served at `http://<metricsBindAddress>/metrics`, a port apart from the API's `/metrics` because they
 * live in the SDK's native core, not in prom-client. Counters end in `_total` and durations are in
 * seconds, the Prometheus conventions the API's metrics follow too.
 *
 * Call it once per worker process, before the first `NativeConnection`/`Worker` is created: the runtime
 * is a process-wide singleton that those create implicitly, after which `Runtime.install` throws.
 */
export function installTemporalTelemetry(options: TemporalTelemetryOptions): Runtime {
  return Runtime.install({
    logger: temporalLoggerOn(options.logger),
    telemetryOptions: {
      metrics: {
        metricPrefix: 'temporal_',
        prometheus: {
          bindAddress: options.metricsBindAddress,
          countersTotalSuffix: true,
          useSecondsForDurations: true,
        },
      },
    },
  });
}

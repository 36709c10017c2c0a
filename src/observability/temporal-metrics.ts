import { Runtime } from '@temporalio/worker';

/**
 * Installs the Temporal SDK runtime with its Prometheus exporter, so the worker's own metrics
 * (workflow/activity task latencies, schedule-to-start, slots, sticky cache, long polls…) are served at
 * `http://<bindAddress>/metrics`, a separate port from the API's `/metrics`, as they live in the SDK's
 * native core rather than in prom-client. Counters end in `_total` and durations are in seconds, the
 * Prometheus conventions the API's metrics follow too.
 *
 * Call it once per worker process, before the first `NativeConnection`/`Worker` is created: the runtime
 * is a process-wide singleton that those create implicitly, after which `Runtime.install` throws.
 */
export function installTemporalMetrics(bindAddress: string): Runtime {
  return Runtime.install({
    telemetryOptions: {
      metrics: {
        metricPrefix: 'temporal_',
        prometheus: { bindAddress, countersTotalSuffix: true, useSecondsForDurations: true },
      },
    },
  });
}

import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** The OTLP/HTTP path of traces under a collector's base address (the OTLP exporter specification). */
const OTLP_TRACES_PATH = 'v1/traces';

/** Tracing as one process runs it. */
export interface Tracing {
  /** Where finished spans go; the worker hands it the workflow spans made inside its sandbox as well. */
  spanProcessor: SpanProcessor;
  /** Names the process in every span (`service.name`). */
  resource: Resource;
  /** Sends the spans still buffered and stops; the last thing a process does. */
  shutdown(): Promise<void>;
}

/**
 * Registers a tracer provider for this process (its context manager keeps the active span across
 * awaits, its W3C propagator reads `traceparent` from callers and writes it into Temporal headers).
 * Without it every tracer is OpenTelemetry's no-op one: tracing costs nothing when it is off.
 * Once per process: OpenTelemetry's globals refuse a second provider.
 */
export function startTracing(options: { serviceName: string; spanProcessor: SpanProcessor }): Tracing {
  const resource = Resource.default().merge(new Resource({ 'service.name': options.serviceName }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [options.spanProcessor] });
  provider.register();
  return { spanProcessor: options.spanProcessor, resource, shutdown: () => provider.shutdown() };
}

/**
 * Tracing as the configuration asks: spans batched to the OTLP/HTTP collector at `otlpEndpoint`
 * (config OTEL_EXPORTER_OTLP_ENDPOINT; `OTEL_EXPORTER_OTLP_HEADERS` adds its credentials, read by the
 * exporter itself), or none when no endpoint is set.
 */
export function startConfiguredTracing(options: {
  otlpEndpoint: string | undefined;
  serviceName: string;
}): Tracing | undefined {
  if (options.otlpEndpoint === undefined) return undefined;
  const base = options.otlpEndpoint.endsWith('/') ? options.otlpEndpoint : `${options.otlpEndpoint}/`;
  const exporter = new OTLPTraceExporter({ url: new URL(OTLP_TRACES_PATH, base).toString() });
  return startTracing({ serviceName: options.serviceName, spanProcessor: new BatchSpanProcessor(exporter) });
}

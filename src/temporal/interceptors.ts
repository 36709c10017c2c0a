/**
 * The interceptors the engine's Temporal client and worker run with: OpenTelemetry tracing
 * (`@temporalio/interceptors-opentelemetry`) and the request id (request-id-interceptors.ts). Both
 * are always on; with tracing off their tracer is OpenTelemetry's no-op one.
 */
import { Resource } from '@opentelemetry/resources';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  type OpenTelemetryWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { Tracing } from '../observability/tracing';
import { RequestIdClientInterceptor, requestIdActivityInterceptors } from './request-id-interceptors';

/**
 * The workflow-side interceptors, bundled with the workflows (they run in the sandbox). Bundled
 * always, so one prebuilt bundle serves with tracing on or off; {@link workflowTracingSinks} is then
 * required by every worker that runs it.
 */
export const WORKFLOW_INTERCEPTOR_MODULES: readonly string[] = [
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
  require.resolve('../../workflows/shared/request-id-interceptors'),
];

/** The client's interceptors: a span around each call, and the span's context and the request id in its headers. */
export function engineClientInterceptors(): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor(), new RequestIdClientInterceptor()] };
}

/** The worker's activity interceptors: a span per activity (a child of its workflow's), and the request id. */
export function engineActivityInterceptors(): ActivityInterceptorsFactory[] {
  return [
    (ctx) => ({
      inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
      outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
    }),
    () => requestIdActivityInterceptors(),
  ];
}

/**
 * The sink the sandbox's OpenTelemetry interceptors hand workflow spans to: the process's span
 * processor, or one that drops them when tracing is off (a worker without the sink logs an error
 * for every workflow task).
 */
export function workflowTracingSinks(
  tracing: Tracing | undefined,
): InjectedSinks<{ exporter: OpenTelemetryWorkflowExporter }> {
  return {
    exporter: makeWorkflowExporter(
      tracing?.spanProcessor ?? new NoopSpanProcessor(),
      tracing?.resource ?? Resource.empty(),
    ),
  };
}

import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { routeLabel } from './http-observability';

const TRACER_NAME = 'xjp-order-engine/http';

/**
 * One server span per request, the parent of everything the request causes: the Temporal start or
 * update it sends, and through Temporal's headers the workflow, its activities and their partner calls.
 * A caller's W3C `traceparent` makes it a child of the caller's trace. Named by route pattern, never by
 * raw path, like the metrics. A no-op when tracing is off (src/observability/tracing.ts).
 */
export function httpTracing(): RequestHandler {
  return (req, res, next) => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = trace
      .getTracer(TRACER_NAME)
      .startSpan(req.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, parent);
    const requestId: unknown = res.locals.requestId;
    if (typeof requestId === 'string') span.setAttribute('xjp.request_id', requestId);
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      const route = routeLabel(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.on('finish', end);
    // A caller that hangs up never gets 'finish'.
    res.on('close', end);
    context.with(trace.setSpan(parent, span), next);
  };
}

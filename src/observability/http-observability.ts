import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ApiMetrics } from './metrics';

/** Order numbers as the API issues them (XJP + 14 digits); a path carrying one is about that order. */
const ORDER_NO_IN_PATH = /\bXJP\d{14}\b/;
/** Polled every few seconds by probes and Prometheus: logged at debug so they do not drown the rest. */
const POLLED_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The route pattern a request matched (`/v1/purchases/:orderNo`), never the raw path, so metric labels
 * stay few and carry no order numbers. Requests no route matched share one label.
 */
export function routeLabel(req: Request): string {
  const route: unknown = req.route;
  if (typeof route !== 'object' || route === null || !('path' in route) || typeof route.path !== 'string')
    return 'unmatched';
  return `${req.baseUrl}${route.path === '/' && req.baseUrl !== '' ? '' : route.path}`;
}

/**
 * Times every request, feeds the duration histogram and writes one structured log line per request
 * (request id, method, route, status, duration, and the order number when the path carries one). The line never
 * holds the query string or body, where personal data could travel.
 */
export function httpObservability(metrics: ApiMetrics, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(req);
      const status = res.statusCode;
      metrics.httpDuration.observe({ method: req.method, route, status: String(status) }, seconds);
      const orderNo = ORDER_NO_IN_PATH.exec(req.originalUrl.split('?')[0] ?? '')?.[0];
      // From res.locals, not the log context: 'finish' fires outside the request's async context.
      const requestId: unknown = res.locals.requestId;
      const fields = {
        ...(typeof requestId === 'string' ? { requestId } : {}),
        method: req.method,
        route,
        status,
        durationMs: Math.round(seconds * 1000),
        ...(orderNo === undefined ? {} : { orderNo }),
      };
      if (status >= 500) logger.error(fields, 'request failed');
      else if (POLLED_ROUTES.has(route) && status < 400) logger.debug(fields, 'request');
      else logger.info(fields, 'request');
    });
    next();
  };
}

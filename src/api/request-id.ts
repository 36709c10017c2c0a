import type { RequestHandler } from 'express';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestId } from '../logging/request-context';

/**
 * Gives every request an id: the caller's `X-Request-Id` when well formed, else a fresh one. The id is
 * echoed in the answer, kept in `res.locals.requestId`, and current for everything the request runs
 * (log lines, the Temporal calls it makes, and so the workflow and activity lines they cause).
 */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const id = requestIdFrom(req.get(REQUEST_ID_HEADER));
    res.locals.requestId = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    runWithRequestId(id, next);
  };
}

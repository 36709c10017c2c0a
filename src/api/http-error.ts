import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { classifyFailure } from './outages';

/** A field-level problem in a request, as the caller sees it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An error the API answers with a status code and a stable code; never a stack trace. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldProblem[],
  ) {
    super(message);
  }
}

/** Turns zod issues into `{ field, message }` pairs, with `field` a dotted path into the request part. */
export function fieldProblems(error: z.ZodError, prefix: string): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.'),
    message: issue.message,
  }));
}

/** Parses one part of a request with its schema, answering 400 with every field problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, part: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const fields = fieldProblems(parsed.error, part);
    throw new HttpError(
      400,
      'VALIDATION_FAILED',
      `invalid ${part}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
      fields,
    );
  }
  return parsed.data;
}

/** 404 for any route the API does not have. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'NOT_FOUND', `no route for ${req.method} ${req.path}`));
};

/** The last error handler: known errors keep their status and code; anything else is a logged 500 with no details. */
export function errorHandler(log: (message: string, err: unknown) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof HttpError) {
      res
        .status(err.status)
        .json({ error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } });
      return;
    }
    if (isBodyParserError(err)) {
      const { status, code, message } = bodyProblem(err);
      res.status(status).json({ error: { code, message } });
      return;
    }
    if (isPathDecodingError(err)) {
      res
        .status(400)
        .json({ error: { code: 'MALFORMED_PATH', message: 'the request path is not valid percent-encoding' } });
      return;
    }
    if (isDecompressionError(err)) {
      res
        .status(400)
        .json({ error: { code: 'MALFORMED_BODY', message: 'the request body does not match its content-encoding' } });
      return;
    }
    const classified = classifyFailure(err);
    if (classified !== undefined) {
      if (classified.status >= 500) log('dependency unavailable', err);
      res.status(classified.status).json({ error: { code: classified.code, message: classified.message } });
      return;
    }
    log('unhandled error', err);
    res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error' } });
  };
}

/** body-parser's own `type` codes, mapped to ours; anything else it refuses is a malformed body. */
function bodyProblem(err: { type: unknown }): { status: number; code: string; message: string } {
  switch (err.type) {
    case 'entity.too.large':
      return { status: 413, code: 'BODY_TOO_LARGE', message: 'the request body is too large' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, code: 'UNSUPPORTED_ENCODING', message: 'the request body must be UTF-8 JSON' };
    default:
      return { status: 400, code: 'MALFORMED_BODY', message: 'the request body must be a JSON object' };
  }
}

function isBodyParserError(err: unknown): err is { status: number; type: unknown } {
  return (
    typeof err === 'object' &&
    err !== null &&
    'type' in err &&
    'status' in err &&
    typeof err.status === 'number' &&
    err.status < 500
  );
}

/** zlib refusing a body sent as gzip, deflate or br that is not: `Z_…` codes (gzip, deflate), `ERR__ERROR_…` (brotli). */
function isDecompressionError(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    typeof err.code === 'string' &&
    /^(Z_|ERR__ERROR_)/.test(err.code)
  );
}

/** The router's failure to percent-decode a path parameter: a URIError it marks 400 (by name: realms differ under test). */
function isPathDecodingError(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'name' in err &&
    err.name === 'URIError' &&
    'status' in err &&
    err.status === 400
  );
}

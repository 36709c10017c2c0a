import type { Payload, PayloadCodec } from '@temporalio/common';
import express, { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import { PayloadCodecError } from '../temporal/payload-codec';
import { HttpError, parseOrThrow } from './http-error';
import { OPERATOR_KEY_HEADER, requireOperator, type OperatorCredential } from './ops/operator-auth';

/** The codec the Web UI reaches, and the browser origins (the UI's address) allowed to call it. */
export interface CodecEndpointOptions {
  codec: PayloadCodec;
  corsOrigins: readonly string[];
}

const base64 = z.base64();
/** The Temporal codec server protocol: payloads as JSON, metadata values and data base64. */
const payloadsBody = z.object({
  payloads: z
    .array(z.object({ metadata: z.record(z.string(), base64).default({}), data: base64.default('') }))
    .max(10_000),
});
type WirePayloads = z.infer<typeof payloadsBody>['payloads'];

function fromWire(payloads: WirePayloads): Payload[] {
  return payloads.map(({ metadata, data }) => ({
    metadata: Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: Buffer.from(data, 'base64'),
  }));
}

function toWire(payloads: Payload[]): WirePayloads {
  return payloads.map(({ metadata, data }) => ({
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
    data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
  }));
}

/** Answers the Web UI's preflight and marks answers readable by an allowed origin (the UI sends its token cross-origin). */
function cors(origins: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    const origin = req.header('origin');
    if (origin !== undefined && origins.has(origin)) {
      res.set({
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': `content-type, authorization, x-namespace, ${OPERATOR_KEY_HEADER}`,
        'access-control-max-age': '600',
        vary: 'Origin',
      });
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}

/**
 * The Web UI sends its access token as `Authorization: Bearer …` (its "pass access token" setting);
 * an operator key presented that way counts as `X-Operator-Key`.
 */
const bearerAsOperatorKey: RequestHandler = (req, _res, next) => {
  const match = /^Bearer (\S+)$/.exec(req.header('authorization') ?? '');
  if (match?.[1] !== undefined && req.header(OPERATOR_KEY_HEADER) === undefined)
    req.headers[OPERATOR_KEY_HEADER] = match[1];
  next();
};

/**
 * `POST /codec/decode` and `/codec/encode`: the codec server the Temporal Web UI (and `temporal`
 * CLI with `--codec-endpoint`) calls to show encrypted payloads to an operator. Only operators
 * (OPERATOR_KEYS) get plaintext; everyone else 401.
 */
export function codecRoutes(options: CodecEndpointOptions, operators: readonly OperatorCredential[]): Router {
  const router = Router();
  router.use(
    cors(new Set(options.corsOrigins)),
    bearerAsOperatorKey,
    requireOperator(operators),
    express.json({ limit: '8mb' }),
  );
  for (const direction of ['decode', 'encode'] as const) {
    router.post(`/${direction}`, async (req, res) => {
      const { payloads } = parseOrThrow(payloadsBody, req.body, 'body');
      try {
        res.json({ payloads: toWire(await options.codec[direction](fromWire(payloads))) });
      } catch (err) {
        if (err instanceof PayloadCodecError) throw new HttpError(422, err.code, err.message);
        throw err;
      }
    });
  }
  return router;
}

/**
 * The dev stack's stand-in for an operator signed in to the Web UI. The API's codec endpoint decodes
 * payloads for operators only, and the CLI dev server's Web UI has no sign-in, so it has no credential
 * to present. This relay, on 127.0.0.1, passes the UI's `/decode` and `/encode` calls to the API's
 * `/codec` with the dev stack's viewer key (the least role), and answers the browser's CORS for the
 * UI's origins. Development only: any local process may use it, as any may read `.data/keys/`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The codec calls the Web UI makes (`<endpoint>/decode`, `<endpoint>/encode`). */
const RELAYED_PATHS = new Set(['/decode', '/encode']);
/** As the API's own codec body limit: a history page of payloads. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Where the relay forwards to, as whom, and for which browser origins. */
export interface CodecRelayOptions {
  /** The API's codec endpoint, e.g. `http://127.0.0.1:3000/codec`. */
  apiCodecUrl: string;
  /** An operator key the API accepts (`X-Operator-Key`). */
  operatorKey: string;
  /** The Web UI's origins, e.g. `http://127.0.0.1:8233`. */
  uiOrigins: readonly string[];
  /** 0 (default): a free port. */
  port?: number;
}

/** A running relay: the endpoint to give the Web UI, and how to stop it. */
export interface CodecRelay {
  url: string;
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function corsHeaders(origins: ReadonlySet<string>, origin: string | undefined): Record<string, string> {
  if (origin === undefined || !origins.has(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'content-type, authorization, x-namespace',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

async function relay(options: CodecRelayOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const cors = corsHeaders(new Set(options.uiOrigins), req.headers.origin);
  const path = new URL(req.url ?? '/', 'http://relay').pathname;
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors).end();
    return;
  }
  if (req.method !== 'POST' || !RELAYED_PATHS.has(path)) {
    res.writeHead(404, cors).end();
    return;
  }
  const body = await readBody(req);
  if (body === undefined) {
    res.writeHead(413, cors).end();
    return;
  }
  const namespace = req.headers['x-namespace'];
  const answer = await fetch(`${options.apiCodecUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-operator-key': options.operatorKey,
      ...(typeof namespace === 'string' ? { 'x-namespace': namespace } : {}),
    },
    body,
  });
  res
    .writeHead(answer.status, {
      ...cors,
      'content-type': answer.headers.get('content-type') ?? 'application/json',
    })
    .end(Buffer.from(await answer.arrayBuffer()));
}

/** Starts the relay on 127.0.0.1; the API it forwards to may start later. */
export async function startCodecRelay(options: CodecRelayOptions): Promise<CodecRelay> {
  const server = createServer((req, res) => {
    relay(options, req, res).catch(() => {
      // The API not (yet) answering: the UI shows the payloads encoded, as without a codec.
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

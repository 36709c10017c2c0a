/**
 * A tiny stand-in for the platform's webhook endpoint: checks each delivery's signature as the
 * platform must (README, Webhooks), logs it, and keeps the events it accepted. `answer` lets a test
 * make it fail or hang for chosen events; the dev stack answers every delivery with 204.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { WebhookPayload } from '../../src/webhooks/payload';
import { WEBHOOK_DELIVERY_ID_HEADER } from '../../src/webhooks/send';
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '../../src/webhooks/signature';

/** The path deliveries are posted to. */
export const WEBHOOK_RECEIVER_PATH = '/webhooks';

/** What the receiver does with a correctly signed delivery: accept it, answer 500, or never answer. */
export type ReceiverAnswer = 'ACCEPT' | 'FAIL' | 'HANG';

/** One accepted delivery. */
export interface ReceivedWebhook {
  deliveryId: string;
  payload: WebhookPayload;
}

export interface WebhookReceiverOptions {
  /** The endpoint's signing secret, as WEBHOOK_SECRETS gives it to the engine. */
  secret: string;
  /** Chooses the answer per delivery; every delivery is accepted without it. */
  answer?: (payload: WebhookPayload) => ReceiverAnswer;
  logger?: Logger;
  port?: number;
}

/** A listening receiver. */
export interface WebhookReceiver {
  /** Where the engine posts (WEBHOOK_ENDPOINTS). */
  url: string;
  /** Accepted deliveries, in the order they arrived. */
  received: ReceivedWebhook[];
  /** Deliveries refused for a bad or missing signature. */
  refusedSignatures: number;
  close(): Promise<void>;
}

async function rawBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the receiver on 127.0.0.1 (`port` 0: any free one). */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const receiver: Omit<WebhookReceiver, 'url' | 'close'> = { received: [], refusedSignatures: 0 };
  const log = options.logger;
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST' || req.url !== WEBHOOK_RECEIVER_PATH) {
        res.writeHead(404).end();
        return;
      }
      const body = await rawBody(req);
      const signature = req.headers[WEBHOOK_SIGNATURE_HEADER];
      const nowSeconds = Math.floor(Date.now() / 1000);
      if (typeof signature !== 'string' || !verifyWebhookSignature(options.secret, signature, body, nowSeconds)) {
        receiver.refusedSignatures += 1;
        log?.warn({ signature }, 'webhook refused: signature does not verify');
        res.writeHead(401).end();
        return;
      }
      const payload = JSON.parse(body) as WebhookPayload;
      const deliveryId = String(req.headers[WEBHOOK_DELIVERY_ID_HEADER]);
      const answer = options.answer?.(payload) ?? 'ACCEPT';
      const fields = { deliveryId, ...payload, signature: 'verified', answer };
      if (answer === 'HANG') {
        log?.info(fields, 'webhook received: not answering');
        return;
      }
      if (answer === 'FAIL') {
        log?.info(fields, 'webhook received: answering 500');
        res.writeHead(500).end();
        return;
      }
      receiver.received.push({ deliveryId, payload });
      log?.info(
        fields,
        `webhook ${payload.type} ${payload.orderNo} #${payload.sequence}: ${payload.fromStatus ?? '-'} → ${payload.toStatus}`,
      );
      res.writeHead(204).end();
    })().catch((err: unknown) => {
      log?.error({ err }, 'webhook receiver failed on a delivery');
      if (!res.headersSent) res.writeHead(400).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}${WEBHOOK_RECEIVER_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung deliveries would hold close() open.
        server.closeAllConnections();
      }),
  });
}

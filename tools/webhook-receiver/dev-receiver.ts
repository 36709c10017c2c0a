/**
 * The dev stack's platform endpoint: the receiver on a fixed port, with a signing secret made once
 * into the keys directory and given to the engine as WEBHOOK_SECRETS_FILE, so `npm run dev` shows
 * every order event the platform would be sent in its log, signatures checked.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { startWebhookReceiver, type WebhookReceiver } from './receiver';

/** `npm run dev`'s receiver port, beside the simulators'. */
export const DEV_WEBHOOK_RECEIVER_PORT = 4300;

/** The endpoint's name in WEBHOOK_ENDPOINTS and WEBHOOK_SECRETS. */
const ENDPOINT = 'dev-receiver';
const SECRET_FILE = 'webhook-secrets';

/** A running dev receiver and the engine configuration that points at it. */
export interface DevWebhookReceiver {
  receiver: WebhookReceiver;
  env: { WEBHOOK_ENDPOINTS: string; WEBHOOK_SECRETS_FILE: string };
}

/** Makes the secret once (later runs keep it), then starts the receiver on `port`. */
export async function startDevWebhookReceiver(
  keysDir: string,
  port: number,
  logger: Logger,
): Promise<DevWebhookReceiver> {
  mkdirSync(keysDir, { recursive: true });
  const path = join(keysDir, SECRET_FILE);
  if (!existsSync(path)) {
    writeFileSync(path, `${ENDPOINT}=${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  }
  const secret = readFileSync(path, 'utf8').trim().slice(`${ENDPOINT}=`.length);
  const receiver = await startWebhookReceiver({ secret, port, logger: logger.child({ part: 'webhook-receiver' }) });
  return { receiver, env: { WEBHOOK_ENDPOINTS: `${ENDPOINT}=${receiver.url}`, WEBHOOK_SECRETS_FILE: path } };
}

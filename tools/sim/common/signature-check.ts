import type { RequestHandler, Response } from 'express';
import { hasValidSignature, isFresh } from '../../../src/partners/signing';

/** Why a signed request was refused before reaching its route. */
export type SignatureRefusal = 'INVALID_SIGNATURE' | 'STALE_TIMESTAMP' | 'MALFORMED';

/** How one partner checks the requests it receives. */
export interface SignatureCheck {
  /** The sender's public key, chosen from the body (its partner id), or undefined for an unknown sender. */
  publicKeyPem(body: Record<string, unknown>): string | undefined;
  /** The body's `timestamp` as an instant, or undefined when absent or unreadable. */
  sentAt(body: Record<string, unknown>): Date | undefined;
  windowMs: number;
  refuse(res: Response, refusal: SignatureRefusal): void;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Refuses a request whose body is not signed by the sender's key, or whose timestamp is stale. */
export function requireSignature(check: SignatureCheck): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    if (!isRecord(body)) {
      check.refuse(res, 'MALFORMED');
      return;
    }
    const key = check.publicKeyPem(body);
    if (key === undefined || !hasValidSignature(body, key)) {
      check.refuse(res, 'INVALID_SIGNATURE');
      return;
    }
    const sentAt = check.sentAt(body);
    if (sentAt === undefined) {
      check.refuse(res, 'MALFORMED');
      return;
    }
    if (!isFresh(sentAt, new Date(), check.windowMs)) {
      check.refuse(res, 'STALE_TIMESTAMP');
      return;
    }
    next();
  };
}

/** The five-minute window both partners allow between a message's timestamp and their clock. */
export const TIMESTAMP_WINDOW_MS = 5 * 60 * 1000;

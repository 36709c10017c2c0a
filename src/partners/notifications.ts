import type { z } from 'zod';
import {
  payoutNotificationSchema,
  type PayoutNotification,
  refundNotificationSchema,
  type RefundNotification,
} from './lianlian/schemas';
import { hasValidSignature, isFresh } from './signing';
import { xjpPaymentNotificationSchema, type XjpPaymentNotification } from './xjp/schemas';

/** Why a notification was refused; the caller records every outcome, accepted or not. */
export type NotificationRejection = 'MALFORMED' | 'BAD_SIGNATURE' | 'STALE';

/**
 * The verdict on one delivery. `notificationId` on a rejection is read from the unverified body,
 * so it identifies the delivery for the log but proves nothing.
 */
export type NotificationVerification<T> =
  { ok: true; notification: T } | { ok: false; reason: NotificationRejection; notificationId?: string };

/** What a verifier needs: the partner's public key, our clock, and how old a message may be. */
export interface NotificationCheckOptions {
  now: Date;
  /** The wire contract allows 5 minutes of clock difference either way. */
  maxAgeMs?: number;
}

const DEFAULT_MAX_AGE_MS = 5 * 60 * 1000;

/** The body that tells XJP a payment notification was taken; anything else makes XJP retry. */
export const XJP_ACK = { code: 'SUCCESS' } as const;

/** The body that tells LianLian a payout notification was taken; never sent when the signature fails. */
export const LIANLIAN_ACK = { ret_code: '0000', ret_msg: 'ok' } as const;

function isRecord(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

interface NotificationCheck<S extends z.ZodType> {
  publicKeyPem: string;
  schema: S;
  /** The wire name of the notification id, read even from a body that fails the checks. */
  idField: string;
  sentAt: (notification: z.infer<S>) => string;
  now: Date;
  maxAgeMs: number;
}

function verify<S extends z.ZodType>(body: unknown, check: NotificationCheck<S>): NotificationVerification<z.infer<S>> {
  if (!isRecord(body)) return { ok: false, reason: 'MALFORMED' };
  const claimedId = body[check.idField];
  const rejected = (reason: NotificationRejection): NotificationVerification<z.infer<S>> =>
    typeof claimedId === 'string' && claimedId !== ''
      ? { ok: false, reason, notificationId: claimedId }
      : { ok: false, reason };
  // The signature covers the raw fields, so it is checked before parsing reshapes anything.
  if (!hasValidSignature(body, check.publicKeyPem)) return rejected('BAD_SIGNATURE');
  const parsed = check.schema.safeParse(body);
  if (!parsed.success) return rejected('MALFORMED');
  // A correctly signed but old message is a replay or a long-stuck retry: refused either way.
  if (!isFresh(new Date(check.sentAt(parsed.data)), check.now, check.maxAgeMs)) return rejected('STALE');
  return { ok: true, notification: parsed.data };
}

/** Verifies XJP's payment notification: signed with XJP's key, well formed, and recent. */
export function verifyXjpPaymentNotification(
  body: unknown,
  options: NotificationCheckOptions & { xjpPublicKeyPem: string },
): NotificationVerification<XjpPaymentNotification> {
  return verify(body, {
    publicKeyPem: options.xjpPublicKeyPem,
    schema: xjpPaymentNotificationSchema,
    idField: 'notificationId',
    sentAt: (n) => n.timestamp,
    now: options.now,
    maxAgeMs: options.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
  });
}

/** Verifies LianLian's payout-result notification: signed with LianLian's key, well formed, and recent. */
export function verifyLianLianPayoutNotification(
  body: unknown,
  options: NotificationCheckOptions & { lianlianPublicKeyPem: string },
): NotificationVerification<PayoutNotification> {
  return verify(body, {
    publicKeyPem: options.lianlianPublicKeyPem,
    schema: payoutNotificationSchema,
    idField: 'notification_id',
    sentAt: (n) => n.sentAt,
    now: options.now,
    maxAgeMs: options.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
  });
}

/** Verifies LianLian's refund-result notification: signed with LianLian's key, well formed, and recent. */
export function verifyLianLianRefundNotification(
  body: unknown,
  options: NotificationCheckOptions & { lianlianPublicKeyPem: string },
): NotificationVerification<RefundNotification> {
  return verify(body, {
    publicKeyPem: options.lianlianPublicKeyPem,
    schema: refundNotificationSchema,
    idField: 'notification_id',
    sentAt: (n) => n.sentAt,
    now: options.now,
    maxAgeMs: options.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
  });
}

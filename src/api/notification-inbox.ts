import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError } from '@temporalio/common';
import express, { type Request, type RequestHandler } from 'express';
import type { NotificationPartner, NotificationResult } from '../db/entities/partner-notification';
import { markNotificationProcessed, recordNotification, type ReceivedVerdict } from '../db/repositories/notifications';
import type { NotificationRejection, NotificationVerification } from '../partners/notifications';

/**
 * How long a first delivery owns its relay: a copy arriving meanwhile is turned away; a copy after
 * it (the first never finished: the API died) relays it instead. Far above a signal's duration.
 */
const RELAY_GRACE_MS = 30_000;

/** Headers worth keeping with a delivery: enough to trace it, nothing secret. */
const KEPT_HEADERS = ['content-type', 'user-agent', 'x-forwarded-for', 'x-request-id'];

const VERDICTS: Record<NotificationRejection, ReceivedVerdict> = {
  MALFORMED: 'MALFORMED',
  BAD_SIGNATURE: 'REJECTED_SIGNATURE',
  STALE: 'STALE',
};

/** The largest notification body read; a genuine one is about 1 kB. Larger ones are refused (413) unread. */
export const NOTIFICATION_BODY_LIMIT = '16kb';

/**
 * What a notification is about: the run it goes to (`runKey`, what `signal` is given: the order number,
 * or the payment bill for a refund), the order it concerns (null when it concerns none we have), and
 * every identifying field in it that differs from what we sent (merchant id, numbers, amount);
 * `runKey` null when we have nothing it names.
 */
export type NotificationMatch = { runKey: null } | { runKey: string; orderNo: string | null; mismatches: string[] };

/** How one partner's notifications are read, tied to an order, acted on and answered. */
export interface NotificationEndpoint<T> {
  partner: NotificationPartner;
  verify(body: unknown, now: Date): NotificationVerification<T>;
  notificationId(notification: T): string;
  /** Finds the order and compares the notification field by field with what we sent. */
  match(notification: T): Promise<NotificationMatch>;
  /** Relays the notification to its run (named by the match's `runKey`) as a signal. */
  signal(runKey: string, notification: T): Promise<void>;
  /**
   * Acts on a genuine notification no running workflow takes: its order is unknown (`orderNo` null) or
   * its run has ended. Money with nowhere to go is handed on here (a payment to its refund).
   */
  unclaimed?(notification: T, orderNo: string | null): Promise<void>;
  ack: object;
  nack(reason: string): object;
  log(message: string, fields: Record<string, unknown>): void;
  /** Counts each delivery's outcome (the in-memory counters /metrics serves). */
  count(result: NotificationResult): void;
}

function keptHeaders(req: Request): Record<string, string> {
  return Object.fromEntries(
    KEPT_HEADERS.flatMap((name) => {
      const value = req.header(name);
      return value === undefined ? [] : [[name, value]];
    }),
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A partner notification endpoint: every delivery is recorded in the inbox first, whatever it is
 * (a refused one as hash, size and first characters); a forged, stale or malformed one, or one
 * whose merchant, order numbers or amount differ from what we sent, is refused (never
 * acknowledged, nothing acted on); a duplicate is acknowledged without acting twice; a genuine one
 * is signalled to its workflow and then acknowledged. If the signal cannot be sent, we do not
 * acknowledge, so the partner's retry brings it back.
 */
export function notificationEndpoint<T>(orm: MikroORM, endpoint: NotificationEndpoint<T>): RequestHandler[] {
  const handle: RequestHandler = async (req, res) => {
    const rawBody = typeof req.body === 'string' ? req.body : '';
    const receivedAt = new Date();
    const verification = endpoint.verify(parseJson(rawBody), receivedAt);
    const em = orm.em.fork();
    const base = { partner: endpoint.partner, rawBody, headers: keptHeaders(req), receivedAt };
    if (!verification.ok) {
      endpoint.count(VERDICTS[verification.reason]);
      await recordNotification(em, {
        ...base,
        notificationId: verification.notificationId ?? null,
        signatureValid: verification.reason === 'STALE',
        verdict: VERDICTS[verification.reason],
        orderNo: null,
      });
      endpoint.log('notification refused', {
        partner: endpoint.partner,
        reason: verification.reason,
        notificationId: verification.notificationId,
      });
      res.status(verification.reason === 'MALFORMED' ? 400 : 401).json(endpoint.nack(verification.reason));
      return;
    }
    const notification = verification.notification;
    const notificationId = endpoint.notificationId(notification);
    const match = await endpoint.match(notification);
    const orderNo = match.runKey === null ? null : match.orderNo;
    if (match.runKey !== null && match.mismatches.length > 0) {
      // Signed by the partner but not about what we sent (a swapped field, their bug): refused, for an operator to see.
      endpoint.count('MISMATCH');
      await recordNotification(em, { ...base, notificationId, signatureValid: true, verdict: 'MISMATCH', orderNo });
      endpoint.log('notification refused: differs from what we sent', {
        alert: 'NOTIFICATION_MISMATCH',
        partner: endpoint.partner,
        notificationId,
        orderNo,
        mismatches: match.mismatches,
      });
      res.status(422).json(endpoint.nack(`MISMATCH: ${match.mismatches.join(', ')}`));
      return;
    }
    const recorded = await recordNotification(em, {
      ...base,
      notificationId,
      signatureValid: true,
      verdict: 'ACCEPTED',
      orderNo,
    });
    endpoint.count(recorded.outcome === 'NEW' ? 'ACCEPTED' : 'DUPLICATE');
    if (recorded.outcome === 'DUPLICATE' && recorded.first.result !== 'ACCEPTED') {
      endpoint.log('duplicate notification acknowledged, not acted on', {
        partner: endpoint.partner,
        notificationId,
        orderNo,
      });
      res.json(endpoint.ack);
      return;
    }
    if (
      recorded.outcome === 'DUPLICATE' &&
      receivedAt.getTime() - recorded.first.receivedAt.getTime() < RELAY_GRACE_MS
    ) {
      // The first delivery is being relayed right now: one signal per notification, so this copy is
      // not acknowledged and the partner's next resend finds the first one done.
      endpoint.log('concurrent copy of a notification being relayed: not acknowledged', {
        partner: endpoint.partner,
        notificationId,
        orderNo,
      });
      res.status(409).json(endpoint.nack('IN_PROGRESS'));
      return;
    }
    // NEW, or a duplicate of a first delivery whose relay never finished (the API died): act on it now.
    const inboxId = recorded.outcome === 'NEW' ? recorded.id : recorded.first.id;
    if (match.runKey === null) {
      await endpoint.unclaimed?.(notification, null);
      await markNotificationProcessed(em, inboxId, { result: 'UNKNOWN_ORDER', at: new Date() });
      endpoint.log('notification for an unknown order acknowledged so the partner stops', {
        partner: endpoint.partner,
        notificationId,
      });
      res.json(endpoint.ack);
      return;
    }
    try {
      await endpoint.signal(match.runKey, notification);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      // The order's run has closed (e.g. it expired): handed on, kept for an operator, and the resends stopped.
      await endpoint.unclaimed?.(notification, orderNo);
      await markNotificationProcessed(em, inboxId, { result: 'UNKNOWN_ORDER', orderNo, at: new Date() });
      endpoint.log('notification for a closed order: needs an operator', {
        alert: 'NOTIFICATION_FOR_CLOSED_ORDER',
        partner: endpoint.partner,
        notificationId,
        orderNo,
      });
      res.json(endpoint.ack);
      return;
    }
    await markNotificationProcessed(em, inboxId, { result: 'SIGNALLED', orderNo, at: new Date() });
    res.json(endpoint.ack);
  };
  // Read as text, so a body that is not even JSON is still recorded before it is refused.
  return [express.text({ type: '*/*', limit: NOTIFICATION_BODY_LIMIT }), handle];
}

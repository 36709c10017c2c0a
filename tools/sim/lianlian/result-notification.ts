import { randomUUID } from 'node:crypto';
import { withSignature } from '../../../src/partners/signing';
import type { Notifier } from '../common/notifier';
import { formatShanghaiTimestamp } from '../common/shanghai-time';

/** The result a notification carries (payment result to XJP, payout result to the platform). */
export interface ResultFields {
  oid_partner: string;
  no_order: string;
  dt_order: string;
  money_order: string;
  oid_paybill: string;
  result_pay: string;
  /** `yyyyMMdd`; empty when nothing settled. */
  settle_date: string;
}

/** Sends one result event, signed with LianLian's key; every resend keeps its `notification_id`. */
export function sendResultNotification(
  notifier: Notifier,
  lianlianPrivateKeyPem: string,
  url: string,
  fields: ResultFields,
): void {
  sendSignedNotification(
    notifier,
    lianlianPrivateKeyPem,
    url,
    { ...fields },
    {
      no_order: fields.no_order,
      result_pay: fields.result_pay,
    },
  );
}

/** Sends any LianLian notification: `fields` signed with LianLian's key, `subject` what the notifier's log shows. */
export function sendSignedNotification(
  notifier: Notifier,
  lianlianPrivateKeyPem: string,
  url: string,
  fields: Record<string, string>,
  subject: Record<string, string>,
): void {
  const notificationId = `LN${randomUUID().replace(/-/g, '')}`;
  notifier.send({
    notificationId,
    url,
    subject,
    build: (now) =>
      withSignature(
        { ...fields, notification_id: notificationId, timestamp: formatShanghaiTimestamp(now), sign_type: 'RSA' },
        lianlianPrivateKeyPem,
      ),
  });
}

import { EntitySchema } from '@mikro-orm/core';

export const NOTIFICATION_PARTNERS = ['XJP', 'LIANLIAN'] as const;
export type NotificationPartner = (typeof NOTIFICATION_PARTNERS)[number];

/**
 * What became of one delivery. ACCEPTED: genuine, first of its id, to be acted on; DUPLICATE: an
 * earlier genuine delivery carried the same id; REJECTED_SIGNATURE / STALE / MALFORMED: refused
 * before acting; UNKNOWN_ORDER / SIGNALLED: the outcome of acting on an ACCEPTED one.
 */
export const NOTIFICATION_RESULTS = [
  'ACCEPTED',
  'DUPLICATE',
  'REJECTED_SIGNATURE',
  'STALE',
  'MALFORMED',
  'UNKNOWN_ORDER',
  'SIGNALLED',
] as const;
export type NotificationResult = (typeof NOTIFICATION_RESULTS)[number];

/**
 * The notification inbox: every delivery from a partner is kept, whatever its fate. `dedupeKey`
 * holds the partner's notification id on the first genuine delivery only, so a forged or stale
 * delivery can never pre-empt the real one's id.
 */
export interface PartnerNotification {
  id: string;
  partner: NotificationPartner;
  notificationId: string | null;
  dedupeKey: string | null;
  rawBody: string;
  headers: Record<string, string>;
  signatureValid: boolean;
  receivedAt: Date;
  result: NotificationResult;
  orderNo: string | null;
  processedAt: Date | null;
}

export const PartnerNotificationSchema = new EntitySchema<PartnerNotification>({
  name: 'PartnerNotification',
  tableName: 'partner_notification',
  uniques: [{ name: 'partner_notification_partner_dedupe_key_unique', properties: ['partner', 'dedupeKey'] }],
  checks: [
    { name: 'partner_notification_dedupe_key_is_notification_id', expression: 'dedupe_key is null or dedupe_key = notification_id' },
    {
      name: 'partner_notification_acted_on_only_if_genuine',
      expression: "signature_valid or result = 'REJECTED_SIGNATURE' or result = 'STALE' or result = 'MALFORMED'",
    },
  ],
  indexes: [
    { name: 'partner_notification_partner_notification_id_index', properties: ['partner', 'notificationId'] },
    { name: 'partner_notification_order_no_index', properties: ['orderNo'] },
  ],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    partner: { enum: true, items: () => [...NOTIFICATION_PARTNERS], columnType: 'text' },
    notificationId: { type: 'string', columnType: 'text', nullable: true },
    dedupeKey: { type: 'string', columnType: 'text', nullable: true },
    rawBody: { type: 'text' },
    headers: { type: 'json' },
    signatureValid: { type: 'boolean' },
    receivedAt: { type: 'datetime', columnType: 'timestamptz' },
    result: { enum: true, items: () => [...NOTIFICATION_RESULTS], columnType: 'text' },
    orderNo: { type: 'string', columnType: 'text', nullable: true },
    processedAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
  },
});

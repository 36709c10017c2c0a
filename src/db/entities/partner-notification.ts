import { EntitySchema } from '@mikro-orm/core';

export const NOTIFICATION_PARTNERS = ['XJP', 'LIANLIAN'] as const;
export type NotificationPartner = (typeof NOTIFICATION_PARTNERS)[number];

/**
 * What became of one delivery. ACCEPTED: genuine, first of its id, to be acted on; DUPLICATE: an
 * earlier genuine delivery carried the same id; REJECTED_SIGNATURE / STALE / MALFORMED: refused
 * before acting; MISMATCH: correctly signed but naming another merchant, order or amount than we
 * sent, refused; UNKNOWN_ORDER / SIGNALLED: the outcome of acting on an ACCEPTED one.
 */
export const NOTIFICATION_RESULTS = [
  'ACCEPTED',
  'DUPLICATE',
  'REJECTED_SIGNATURE',
  'STALE',
  'MALFORMED',
  'MISMATCH',
  'UNKNOWN_ORDER',
  'SIGNALLED',
] as const;
export type NotificationResult = (typeof NOTIFICATION_RESULTS)[number];

/** How much of a refused delivery's body is kept: enough to recognise it, too little to fill the disk. */
export const REFUSED_BODY_KEPT_CHARS = 256;

/**
 * The notification inbox: every delivery from a partner is recorded, whatever its fate. A genuine
 * one keeps its whole body; a refused one keeps its hash, size and first
 * {@link REFUSED_BODY_KEPT_CHARS} characters only, so forged posts cannot fill the database.
 * `dedupeKey` holds the partner's notification id on the first genuine delivery only, so a forged
 * or stale delivery can never pre-empt the real one's id.
 */
export interface PartnerNotification {
  id: string;
  partner: NotificationPartner;
  notificationId: string | null;
  dedupeKey: string | null;
  /** The whole body of a signed delivery; the first characters of a refused one. */
  rawBody: string;
  /** Hex SHA-256 of the whole body as received. */
  bodySha256: string;
  /** The whole body's size in bytes. */
  bodyBytes: number;
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
    {
      name: 'partner_notification_dedupe_key_is_notification_id',
      expression: 'dedupe_key is null or dedupe_key = notification_id',
    },
    {
      name: 'partner_notification_acted_on_only_if_genuine',
      expression: "signature_valid or result = 'REJECTED_SIGNATURE' or result = 'STALE' or result = 'MALFORMED'",
    },
    { name: 'partner_notification_body_bytes_non_negative', expression: 'body_bytes >= 0' },
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
    bodySha256: { type: 'string', columnType: 'text' },
    bodyBytes: { type: 'integer' },
    headers: { type: 'json' },
    signatureValid: { type: 'boolean' },
    receivedAt: { type: 'datetime', columnType: 'timestamptz' },
    result: { enum: true, items: () => [...NOTIFICATION_RESULTS], columnType: 'text' },
    orderNo: { type: 'string', columnType: 'text', nullable: true },
    processedAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
  },
});

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** The `encoding` metadata of an encrypted payload (what the Web UI shows before decoding). */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata naming the key a payload was encrypted with, so older keys still decrypt after a rotation. */
export const KEY_ID_METADATA = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** One AES-256 key and the id written beside what it encrypted. */
export interface PayloadKey {
  id: string;
  key: Buffer;
}

/** Stable codes for payloads that cannot be decrypted. */
export type PayloadCodecErrorCode = 'UNKNOWN_PAYLOAD_KEY' | 'PAYLOAD_TAMPERED';

/** A payload this codec cannot decrypt: its key is not configured, or its bytes were altered. */
export class PayloadCodecError extends Error {
  override readonly name = 'PayloadCodecError';

  constructor(
    readonly code: PayloadCodecErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');

/**
 * Encrypts every payload (workflow inputs and results, activity arguments and results, signals,
 * updates, memos, and failure messages through the failure converter) with AES-256-GCM, so the
 * Temporal server and its database hold only ciphertext. The whole payload (metadata and data) is
 * encrypted; the key id is the additional authenticated data, so it cannot be swapped. The first
 * key encrypts; every key decrypts. Payloads that are not encrypted pass through unchanged:
 * histories written before encryption was turned on stay readable.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: ReadonlyMap<string, Buffer>;
  private readonly active: PayloadKey;

  constructor(keys: readonly PayloadKey[]) {
    const [active] = keys;
    if (active === undefined) throw new RangeError('AesGcmPayloadCodec needs at least one key');
    for (const { id, key } of keys) if (key.length !== 32) throw new RangeError(`payload key ${id} is not 32 bytes`);
    this.active = active;
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private encrypt(payload: Payload): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.active.key, iv);
    cipher.setAAD(utf8(this.active.id));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return { metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(this.active.id) }, data: sealed };
  }

  private decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.encoding;
    if (encoding === undefined || encoding === null || Buffer.from(encoding).toString('utf8') !== ENCRYPTED_ENCODING)
      return payload;
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    const keyId = idBytes === undefined || idBytes === null ? '' : Buffer.from(idBytes).toString('utf8');
    const key = this.byId.get(keyId);
    if (key === undefined)
      throw new PayloadCodecError('UNKNOWN_PAYLOAD_KEY', `no payload key with id "${keyId}" is configured`);
    const sealed = Buffer.from(payload.data ?? new Uint8Array());
    const decipher = createDecipheriv(ALGORITHM, key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(utf8(keyId));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadCodecError('PAYLOAD_TAMPERED', `a payload encrypted with key "${keyId}" failed authentication`);
    }
    // A plain object, as the SDK's own converters make them, rather than a protobuf message instance.
    const { metadata, data } = temporal.api.common.v1.Payload.decode(plain);
    return { metadata, data };
  }
}

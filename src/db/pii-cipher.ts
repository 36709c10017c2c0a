import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Versioned so a later key rotation can tell old ciphertexts from new ones.
const FORMAT_PREFIX = 'v1:';

/** A stable-coded failure to encrypt or decrypt personal data; never carries the plaintext. */
export class PiiCipherError extends Error {
  constructor(
    readonly code: 'INVALID_PII_KEY' | 'INVALID_PII_CIPHERTEXT',
    message: string,
  ) {
    super(message);
    this.name = 'PiiCipherError';
  }
}

/** Encrypts and decrypts personal data (ID-card numbers, mobiles, bank cards) for storage at rest. */
export interface PiiCipher {
  /** `v1:<base64 iv ‖ tag ‖ ciphertext>`; a fresh random IV each call, so equal inputs differ. */
  encrypt(plaintext: string): string;
  /** Throws PiiCipherError(INVALID_PII_CIPHERTEXT) when the value was altered or made with another key. */
  decrypt(stored: string): string;
}

/** Builds an AES-256-GCM cipher from a 32-byte key (raw, or base64 as in PII_ENCRYPTION_KEY). */
export function createPiiCipher(key: Buffer | string): PiiCipher {
  const keyBytes = typeof key === 'string' ? Buffer.from(key, 'base64') : key;
  if (keyBytes.length !== KEY_BYTES) throw new PiiCipherError('INVALID_PII_KEY', `PII key must be ${KEY_BYTES} bytes`);
  return {
    encrypt(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, keyBytes, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return FORMAT_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    decrypt(stored) {
      if (!stored.startsWith(FORMAT_PREFIX))
        throw new PiiCipherError('INVALID_PII_CIPHERTEXT', 'unknown ciphertext format');
      const packed = Buffer.from(stored.slice(FORMAT_PREFIX.length), 'base64');
      if (packed.length < IV_BYTES + TAG_BYTES)
        throw new PiiCipherError('INVALID_PII_CIPHERTEXT', 'ciphertext too short');
      const decipher = createDecipheriv(ALGORITHM, keyBytes, packed.subarray(0, IV_BYTES));
      decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new PiiCipherError('INVALID_PII_CIPHERTEXT', 'ciphertext failed authentication');
      }
    },
  };
}

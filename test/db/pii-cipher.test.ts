import { randomBytes } from 'node:crypto';
import { createPiiCipher, PiiCipherError } from '../../src/db/pii-cipher';

const key = randomBytes(32);

test('decrypting what was encrypted gives back the plaintext, including non-ASCII', () => {
  const cipher = createPiiCipher(key);
  expect(cipher.decrypt(cipher.encrypt('张三丰 6222021234567890123'))).toBe('张三丰 6222021234567890123');
});

test('the same plaintext encrypts differently each time and never contains the clear value', () => {
  const cipher = createPiiCipher(key.toString('base64'));
  const a = cipher.encrypt('13812345678');
  const b = cipher.encrypt('13812345678');
  expect(a).not.toBe(b);
  expect(a).not.toContain('13812345678');
  expect(Buffer.from(a.slice(3), 'base64').toString('latin1')).not.toContain('13812345678');
});

test('a tampered ciphertext or another key fails authentication with a stable code', () => {
  const cipher = createPiiCipher(key);
  const stored = cipher.encrypt('11010119900307447X');
  const bytes = Buffer.from(stored.slice(3), 'base64');
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
  expect(() => cipher.decrypt(`v1:${bytes.toString('base64')}`)).toThrow(PiiCipherError);
  expect(() => createPiiCipher(randomBytes(32)).decrypt(stored)).toThrow(
    expect.objectContaining({ code: 'INVALID_PII_CIPHERTEXT' }),
  );
  expect(() => cipher.decrypt('plain text')).toThrow(expect.objectContaining({ code: 'INVALID_PII_CIPHERTEXT' }));
});

test('a key that is not 32 bytes is refused', () => {
  expect(() => createPiiCipher(randomBytes(16))).toThrow(expect.objectContaining({ code: 'INVALID_PII_KEY' }));
});

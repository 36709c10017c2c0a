import { createSign, createVerify, generateKeyPairSync } from 'node:crypto';

/** A partner message as it travels: flat fields, one of which may be the signature. */
export type SignableFields = Readonly<Record<string, unknown>>;

/** An RSA key pair in PEM, as config carries it. */
export interface KeyPairPem {
  publicKeyPem: string;
  privateKeyPem: string;
}

const SIGNATURE_FIELD = 'sign';

function fieldText(value: unknown): string {
  // Nested values are signed as compact JSON so both sides agree byte for byte.
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * The text a signature covers: every non-empty field except `sign`, sorted by name, each name and
 * value percent-encoded (as `encodeURIComponent`), joined as `k=v&k=v`. The encoding keeps `&` and
 * `=` out of names and values, so no two different messages share a text: unencoded,
 * `{a:"1&b=2"}` and `{a:"1",b:"2"}` would both read `a=1&b=2` and sign alike.
 */
export function canonicalString(fields: SignableFields): string {
  return Object.keys(fields)
    .filter((key) => key !== SIGNATURE_FIELD)
    .filter((key) => {
      const value = fields[key];
      return value !== undefined && value !== null && value !== '';
    })
    .sort()
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(fieldText(fields[key]))}`)
    .join('&');
}

/** Signs the canonical string with RSA-SHA256 and returns the base64 signature. */
export function signFields(fields: SignableFields, privateKeyPem: string): string {
  const signer = createSign('RSA-SHA256');
  signer.update(canonicalString(fields), 'utf8');
  return signer.sign(privateKeyPem, 'base64');
}

/** Returns the fields with their `sign` field added. */
export function withSignature<T extends SignableFields>(fields: T, privateKeyPem: string): T & { sign: string } {
  return { ...fields, sign: signFields(fields, privateKeyPem) };
}

/** True when `sign` is present and is a valid RSA-SHA256 signature of the other fields. */
export function hasValidSignature(fields: SignableFields, publicKeyPem: string): boolean {
  const signature = fields[SIGNATURE_FIELD];
  if (typeof signature !== 'string' || signature === '') return false;
  const verifier = createVerify('RSA-SHA256');
  verifier.update(canonicalString(fields), 'utf8');
  try {
    return verifier.verify(publicKeyPem, signature, 'base64');
  } catch {
    // A malformed key or signature is a failed verification, not a crash.
    return false;
  }
}

/** True when `sentAt` lies within `windowMs` of `now` on either side (clock skew is allowed both ways). */
export function isFresh(sentAt: Date, now: Date, windowMs: number): boolean {
  const skew = Math.abs(now.getTime() - sentAt.getTime());
  return Number.isFinite(skew) && skew <= windowMs;
}

/** A fresh 2048-bit RSA key pair, for the dev launcher's first run and for tests. */
export function generateRsaKeyPair(): KeyPairPem {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

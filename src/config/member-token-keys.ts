import { z } from 'zod';

/**
 * The keys member tokens are verified with (config `MEMBER_TOKEN_KEYS`): a JSON Web Key Set whose
 * keys each carry a `kid` and an `alg`. HS256 is a secret shared with the platform's backend (the
 * dev stack's); RS256 and ES256 are the backend's public keys, so this engine holds nothing that
 * can mint a token. Several keys at once is how keys rotate: add the new `kid`, let the backend
 * switch, then drop the old one.
 */
const kid = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'kid: 1-64 letters, digits, . _ -');
const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');
// A private part configured here would make the engine able to mint tokens; only the backend may.
const noPrivatePart = z
  .undefined({ error: 'private key material (d) must not be configured: give the public key' })
  .optional();

/** An HMAC secret of at least 32 bytes. */
const hs256Key = z.object({
  kty: z.literal('oct'),
  kid,
  alg: z.literal('HS256'),
  k: base64url.refine((k) => Buffer.from(k, 'base64url').length >= 32, {
    message: 'an HS256 secret must be at least 32 bytes',
  }),
});
const rs256Key = z.object({
  kty: z.literal('RSA'),
  kid,
  alg: z.literal('RS256'),
  n: base64url,
  e: base64url,
  d: noPrivatePart,
});
const es256Key = z.object({
  kty: z.literal('EC'),
  kid,
  alg: z.literal('ES256'),
  crv: z.literal('P-256'),
  x: base64url,
  y: base64url,
  d: noPrivatePart,
});

/** One verification key. */
export const memberTokenKeySchema = z.discriminatedUnion('alg', [hs256Key, rs256Key, es256Key]);
export type MemberTokenKey = z.infer<typeof memberTokenKeySchema>;

/** The algorithms a member token may be signed with. */
export const MEMBER_TOKEN_ALGORITHMS = ['HS256', 'RS256', 'ES256'] as const;

/** `MEMBER_TOKEN_KEYS` as configured: JSON text of `{ "keys": [ … ] }`, kids unique. */
export const memberTokenKeySetSchema = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON Web Key Set ({"keys":[…]})' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .object({ keys: z.array(memberTokenKeySchema).min(1, 'at least one key') })
      .refine((set) => new Set(set.keys.map((key) => key.kid)).size === set.keys.length, { message: 'each kid once' })
      .transform((set) => set.keys),
  );

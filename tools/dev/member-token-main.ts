/**
 * `npm run member-token -- <memberId> [keysDir]`: prints a member token for the local stack, signed
 * with its key set as the platform's backend would sign it (5 minutes, one action).
 */
import { resolve } from 'node:path';
import { configSchema } from '../../src/config/config';
import { readDevMemberTokenKey } from './dev-secrets';
import { mintMemberToken } from './member-token';

const [memberId, keysDir = process.env.SIM_KEYS_DIR ?? '.data/keys'] = process.argv.slice(2);
if (memberId === undefined) {
  console.error('usage: npm run member-token -- <memberId> [keysDir]');
  process.exit(2);
}
const audience = configSchema.shape.MEMBER_TOKEN_AUDIENCE.parse(process.env.MEMBER_TOKEN_AUDIENCE);
mintMemberToken(readDevMemberTokenKey(resolve(keysDir)), memberId, { audience }).then(
  (token) => console.log(token),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

/**
 * Makes the local key pairs and PII key once (`npm run dev` does it itself); with
 * `--stack-secrets` also a random payload encryption key (docker compose's `keys` job, `npm run stack`).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDevSecrets } from './dev-secrets';
import { ensureStackSecrets } from './stack-secrets';

const { values, positionals } = parseArgs({
  options: { 'stack-secrets': { type: 'boolean' } },
  allowPositionals: true,
});
const keysDir = resolve(positionals[0] ?? process.env.SIM_KEYS_DIR ?? '.data/keys');
const files = {
  ...ensureDevSecrets(keysDir),
  ...(values['stack-secrets'] === true ? ensureStackSecrets(keysDir) : {}),
};
for (const [key, path] of Object.entries(files)) console.log(`${key}=${path}`);

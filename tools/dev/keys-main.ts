/** Makes the local key pairs and PII key once (docker compose's `keys` job; `npm run dev` does it itself). */
import { resolve } from 'node:path';
import { ensureDevSecrets } from './dev-secrets';

const keysDir = resolve(process.argv[2] ?? process.env.SIM_KEYS_DIR ?? '.data/keys');
for (const [key, path] of Object.entries(ensureDevSecrets(keysDir))) console.log(`${key}=${path}`);

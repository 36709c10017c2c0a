import { join } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres';

/** Where the database is, and how to let go of it when the process ends. */
export interface DatabaseLocation {
  url: string;
  /** Stops the embedded server if this process started one; a no-op for DATABASE_URL. */
  release(): Promise<void>;
  source: 'DATABASE_URL' | 'EMBEDDED';
}

/** The persistent dev cluster's data directory (git-ignored); initialised on first use, then reused. */
export const DEV_DATA_DIR = join(__dirname, '..', '..', '.data', 'postgres');

/** Fixed so the dev database URL stays the same between runs; override with DEV_POSTGRES_PORT. */
const DEV_PORT_DEFAULT = 54329;

/**
 * `DATABASE_URL` when set; otherwise (not in production) starts the persistent embedded dev
 * PostgreSQL under `.data/postgres`.
 */
export async function resolveDatabase(env: NodeJS.ProcessEnv = process.env): Promise<DatabaseLocation> {
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== '') return { url, release: async () => undefined, source: 'DATABASE_URL' };
  // A deployment (a migration job in a container) must never quietly migrate a database of its own.
  if (env.NODE_ENV === 'production') throw new Error('DATABASE_URL is required when NODE_ENV=production');
  const port = env.DEV_POSTGRES_PORT === undefined ? DEV_PORT_DEFAULT : Number(env.DEV_POSTGRES_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`DEV_POSTGRES_PORT must be a TCP port: ${env.DEV_POSTGRES_PORT}`);
  const embedded = await startEmbeddedPostgres({ dataDir: DEV_DATA_DIR, port, persistent: true });
  return { url: embedded.url, release: embedded.stop, source: 'EMBEDDED' };
}

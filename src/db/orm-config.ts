import { join } from 'node:path';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** Where `db:migration:create` writes new migration files. */
export const MIGRATIONS_DIR = join(__dirname, 'migrations');

/** What differs between the app, the CLI and the tests: where the database is, and SQL logging. */
export interface OrmConfigInput {
  clientUrl: string;
  debug?: boolean;
}

/** The single MikroORM configuration builder used by the app, the migration CLI and the tests. */
export function createOrmConfig({ clientUrl, debug = false }: OrmConfigInput): Options {
  return defineConfig({
    clientUrl,
    entities: ENTITIES,
    debug,
    extensions: [Migrator],
    // Entities are EntitySchema definitions with explicit types: nothing to reflect and nothing to cache.
    discovery: { warnWhenNoEntities: true },
    metadataCache: { enabled: false },
    // Every instant is timestamptz and every calendar day is `date`; the server's zone must not leak in.
    forceUtcTimezone: true,
    // A database that is down must fail a request within seconds (the API answers 503), not queue it for a minute.
    pool: { min: 0, max: 10, acquireTimeoutMillis: 5_000 },
    driverOptions: { connection: { connectionTimeoutMillis: 3_000 } },
    // Loading relations must be explicit, so a repository never triggers a hidden query.
    populateWhere: 'infer',
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: MIGRATIONS_DIR,
      pathTs: MIGRATIONS_DIR,
      migrationsList: MIGRATIONS,
      emit: 'ts',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      // The CLI prints its own one-line summary; tests and the app need no per-migration chatter.
      silent: true,
    },
  });
}

import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { closeOrm, openOrm } from '../../src/db/orm';
import { createPiiCipher, type PiiCipher } from '../../src/db/pii-cipher';

/** A throwaway PostgreSQL for one test file: its own temp data dir and free port, deleted on stop. */
export interface TestDatabase {
  url: string;
  orm: MikroORM;
  stop(): Promise<void>;
}

/** Starts an embedded PostgreSQL and, unless told otherwise, migrates it to the latest schema. */
export async function startTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const pg = await startEmbeddedPostgres({ persistent: false });
  try {
    const orm = await openOrm(pg.url);
    if (options.migrate ?? true) await orm.getMigrator().up();
    return {
      url: pg.url,
      orm,
      stop: async () => {
        await closeOrm(orm);
        await pg.stop();
      },
    };
  } catch (error) {
    await pg.stop();
    throw error;
  }
}

/** A cipher with a random key, as the app builds from PII_ENCRYPTION_KEY. */
export function testPiiCipher(): PiiCipher {
  return createPiiCipher(randomBytes(32));
}

/**
 * A migrated test database for the calling file: started before its tests, stopped after them. The
 * returned handle reads the running database, so it can be held at module level.
 */
export function useTestDatabase(): TestDatabase {
  let running: TestDatabase | undefined;
  beforeAll(async () => {
    running = await startTestDatabase();
  });
  afterAll(async () => {
    await running?.stop();
  });
  function current(): TestDatabase {
    if (running === undefined) throw new Error('the test database is used before beforeAll started it');
    return running;
  }
  return {
    get url() {
      return current().url;
    },
    get orm() {
      return current().orm;
    },
    stop: () => current().stop(),
  };
}

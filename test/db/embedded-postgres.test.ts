import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { closeOrm, openOrm } from '../../src/db/orm';

async function query(url: string, sql: string): Promise<unknown[]> {
  const orm = await openOrm(url);
  try {
    return await orm.em.fork().execute(sql);
  } finally {
    await closeOrm(orm);
  }
}

/** A parent directory the `postgres` system user can enter, as `.data/` is in a checkout. */
async function scratchDir(): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), 'xjp-pg-test-'));
  await chmod(parent, 0o755);
  return parent;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

test('non-persistent servers answer on their own ports and delete their data directories on stop', async () => {
  const parent = await scratchDir();
  const dirA = join(parent, 'a');
  const [a, b] = await Promise.all([startEmbeddedPostgres({ dataDir: dirA, persistent: false }), startEmbeddedPostgres({ persistent: false })]);
  try {
    expect(await exists(join(dirA, 'PG_VERSION'))).toBe(true);
    expect(a.url).not.toBe(b.url);
    expect(await query(a.url, 'select current_database() as db')).toEqual([{ db: 'app' }]);
    expect(await query(b.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  expect(await exists(dirA)).toBe(false);
  await rm(parent, { recursive: true, force: true });
});

test('a persistent data directory is initialised once and its data survives a restart', async () => {
  const parent = await scratchDir();
  const dataDir = join(parent, 'postgres');
  try {
    const first = await startEmbeddedPostgres({ dataDir, persistent: true });
    await query(first.url, 'create table kept (v int); insert into kept values (42)');
    await first.stop();
    expect(await exists(join(dataDir, 'PG_VERSION'))).toBe(true);

    const second = await startEmbeddedPostgres({ dataDir, persistent: true });
    try {
      expect(await query(second.url, 'select v from kept')).toEqual([{ v: 42 }]);
    } finally {
      await second.stop();
    }
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

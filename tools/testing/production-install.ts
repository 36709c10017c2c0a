/**
 * What the runtime image holds (Dockerfile, stage `runtime`): `package.json`, `package-lock.json` and
 * `dist/`, with the production dependencies only. Made in a directory of its own, so a compiled entry
 * that reached for a dev dependency (tsx, typescript, webpack through @temporalio/testing…) fails there.
 */
import { execFile } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Dev dependencies whose absence from the copy shows `--omit=dev` took effect. */
export const DEV_ONLY_PACKAGES = ['tsx', 'typescript', 'jest', '@temporalio/testing', '@mikro-orm/cli'] as const;

/**
 * Copies the manifest, the lockfile and `dist/` from `root` into `into`, then runs
 * `npm ci --omit=dev` there. `--prefer-offline`: packages already in npm's cache (any earlier
 * `npm ci` put them there) are not fetched again, so it runs without a registry once warm.
 */
export async function installProductionCopy(root: string, into: string): Promise<void> {
  for (const file of ['package.json', 'package-lock.json']) await cp(path.join(root, file), path.join(into, file));
  await cp(path.join(root, 'dist'), path.join(into, 'dist'), { recursive: true });
  await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: into,
    env: { ...process.env, NODE_ENV: 'production' },
    maxBuffer: 16 * 1024 * 1024,
  });
}

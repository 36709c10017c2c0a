import { readFileSync } from 'node:fs';
import { ConfigError, configSchema, loadConfig, type Config } from '../config/config';

/** Suffix naming a file that holds a key's value (the Docker secrets convention: `PII_ENCRYPTION_KEY_FILE`). */
export const FILE_SUFFIX = '_FILE';

/** The engine's configuration as a deployed process reads it: PostgreSQL is then required. */
export type RuntimeConfig = Config & { DATABASE_URL: string };

/**
 * Fills each config key from `<KEY>_FILE` when only the file is given, so PEMs and keys can be
 * mounted rather than pasted into the environment. A key set directly wins over its file.
 */
export function readFileVariables(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; problems: string[] } {
  const resolved: NodeJS.ProcessEnv = { ...env };
  const problems: string[] = [];
  for (const key of Object.keys(configSchema.shape)) {
    const file = env[`${key}${FILE_SUFFIX}`];
    if (file === undefined || file === '' || (env[key] !== undefined && env[key] !== '')) continue;
    try {
      resolved[key] = readFileSync(file, 'utf8').trim();
    } catch (err) {
      // The path is not a secret; the file's content would be, and is never read into the message.
      const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'unreadable';
      problems.push(`${key}${FILE_SUFFIX}: cannot read ${file} (${code})`);
    }
  }
  return { env: resolved, problems };
}

/**
 * Parses the environment for the API and worker entries, failing with every problem at once:
 * schema problems, unreadable `_FILE`s, and a missing DATABASE_URL (only `npm run dev` starts a
 * database of its own).
 */
export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const { env: resolved, problems } = readFileVariables(env);
  let config: Config | undefined;
  try {
    config = loadConfig(resolved);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (resolved.DATABASE_URL === undefined || resolved.DATABASE_URL === '') {
    problems.push('DATABASE_URL: required (postgres://user:password@host:port/db)');
  }
  if (config === undefined || config.DATABASE_URL === undefined || problems.length > 0) throw new ConfigError(problems);
  return { ...config, DATABASE_URL: config.DATABASE_URL };
}

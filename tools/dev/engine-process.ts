import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** The compiled tree `npm run build` writes; the production-shape stack runs only from it. */
export const DIST_DIR = path.resolve(__dirname, '..', '..', 'dist');

/** A compiled engine process (API, worker, set-up command) that the stack started. */
export interface EngineProcess {
  name: string;
  pid: number | undefined;
  /** Settles with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, as an orchestrator stops it; resolves with its exit once it has stopped. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs `node dist/<entry>` with only the given environment (plus PATH), its output appended to
 * `<logDir>/<name>.log`: the same command a container runs, no tsx, no dev dependency loaded.
 */
export async function startEngineProcess(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  logDir: string,
  distDir = DIST_DIR,
): Promise<EngineProcess> {
  await mkdir(logDir, { recursive: true });
  const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
  const child: ChildProcess = spawn(process.execPath, [path.join(distDir, entry)], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  void exited.then(() => log.end());
  // A launcher that dies must not leave engine processes behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  return {
    name,
    pid: child.pid,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs a compiled one-off command (migration, Temporal set-up) to completion; throws with its log's path if it fails. */
export async function runEngineCommand(
  name: string,
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logDir: string,
  distDir = DIST_DIR,
): Promise<void> {
  await mkdir(logDir, { recursive: true });
  const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [path.join(distDir, entry), ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  log.end();
  if (code !== 0)
    throw new Error(
      `${name} (node dist/${entry} ${args.join(' ')}) exited ${String(code)}: see ${path.join(logDir, `${name}.log`)}`,
    );
}

/** Polls a probe URL until it answers 200. */
export async function waitForOk(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (${last})`);
}

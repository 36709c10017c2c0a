import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Where provisioning keeps the Temporal servers it builds from the package registries: a
 * git-ignored folder of the project, one sub-folder per server and version, so bumping a
 * version provisions afresh instead of reusing a stale copy.
 */
export const TEMPORAL_CACHE_DIR = path.resolve(__dirname, '../../.cache/temporal');

/** Maven Central `io.temporal:temporal-test-server`: the Java time-skipping test server. */
export const TEST_SERVER_VERSION = '1.31.0';

/** Go module `github.com/temporalio/cli`: the `temporal` CLI with its SQLite dev server and Web UI. */
export const CLI_VERSION = '1.5.1';

/** Folder of the provisioned time-skipping server: `lib/` (jars), the CDS archive and the launcher. */
export const testServerCacheDir = path.join(TEMPORAL_CACHE_DIR, 'test-server', TEST_SERVER_VERSION);

/** The launcher script for the time-skipping server; written last, so its presence means complete. */
export const testServerCachedPath = path.join(testServerCacheDir, 'temporal-test-server');

/** The `temporal` CLI binary; moved into place only after a successful build. */
export const cliCachedPath = path.join(TEMPORAL_CACHE_DIR, 'cli', CLI_VERSION, 'temporal');

/** Stable codes for what can go wrong while provisioning or starting a server. */
export type TemporalServerErrorCode =
  'EXECUTABLE_NOT_FOUND' | 'TOOL_MISSING' | 'COMMAND_FAILED' | 'SERVER_EXITED' | 'SERVER_START_TIMEOUT';

/** A Temporal server could not be provisioned or started; `code` says which step failed. */
export class TemporalServerError extends Error {
  override readonly name = 'TemporalServerError';

  constructor(
    readonly code: TemporalServerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** How one provisioning step went: `cached` means it found its result and did nothing. */
export interface StepReport {
  step: string;
  outcome: 'done' | 'cached';
  durationMs: number;
}

/** Receives a report per step, so the provisioning CLI can print each step's duration. */
export type StepReporter = (report: StepReport) => void;

/** Runs one step and reports how long it took. */
export async function timedStep<T>(step: string, report: StepReporter, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  report({ step, outcome: 'done', durationMs: performance.now() - started });
  return result;
}

/** Keeps the end of a process's output for error messages without holding all of it. */
export class OutputTail {
  private text = '';

  constructor(private readonly maxChars = 4000) {}

  append(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-this.maxChars);
  }

  toString(): string {
    return this.text.trim();
  }
}

/**
 * Runs a build tool to completion. Its output is kept and shown only when it fails, so a cached
 * or successful provisioning stays quiet.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const output = new OutputTail();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.append(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.append(chunk));
    child.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code === 'ENOENT' ? 'TOOL_MISSING' : 'COMMAND_FAILED';
      reject(new TemporalServerError(code, `cannot run ${command}: ${err.message}`, { cause: err }));
    });
    child.on('exit', (exitCode, signal) => {
      if (exitCode === 0) {
        resolve();
        return;
      }
      const how = signal === null ? `exit code ${String(exitCode)}` : `signal ${signal}`;
      reject(
        new TemporalServerError(
          'COMMAND_FAILED',
          `${command} ${args.join(' ')} failed (${how}):\n${output.toString()}`,
        ),
      );
    });
  });
}

import { spawn } from 'node:child_process';
import path from 'node:path';
import { findFreePort } from '../../src/db/embedded-postgres';

/** Runs a script in a fresh Node process: the SDK runtime is a process-wide singleton this jest process already made. */
function runScript(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', source], {
      cwd: path.resolve(__dirname, '../..'),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('installTemporalTelemetry serves the SDK runtime’s Prometheus endpoint on its own address', async () => {
  const port = await findFreePort();
  const module = path.resolve(__dirname, '../../src/observability/temporal-metrics.ts');
  const loggerModule = path.resolve(__dirname, '../../src/logging/logger.ts');
  const result = await runScript(`
    const { installTemporalTelemetry } = require(${JSON.stringify(module)});
    const { createLogger } = require(${JSON.stringify(loggerModule)});
    installTemporalTelemetry({ metricsBindAddress: '127.0.0.1:${port}', logger: createLogger('worker', { level: 'silent' }) });
    fetch('http://127.0.0.1:${port}/metrics').then((response) => {
      console.log(JSON.stringify({ status: response.status }));
      process.exit(0);
    });
  `);
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout.trim())).toEqual({ status: 200 });
}, 60_000);

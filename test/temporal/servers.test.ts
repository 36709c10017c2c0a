import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { TemporalServerError } from '../../tools/temporal/provision';
import { findLocalExecutable, freePort, startDevServer } from '../../tools/temporal/servers';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'temporal-dev-server-'));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('findLocalExecutable', () => {
  const saved = process.env.TEMPORAL_CLI_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.TEMPORAL_CLI_PATH;
    else process.env.TEMPORAL_CLI_PATH = saved;
  });

  test('prefers the path named in the environment over the cache', () => {
    process.env.TEMPORAL_CLI_PATH = process.execPath;
    expect(findLocalExecutable('dev-server')).toEqual({ origin: 'env', path: process.execPath });
  });

  test('reports a named path that does not exist instead of falling back', () => {
    process.env.TEMPORAL_CLI_PATH = path.join(dataDir, 'no-such-temporal');
    const failure = captureError(() => findLocalExecutable('dev-server'));
    expect(failure).toBeInstanceOf(TemporalServerError);
    expect((failure as TemporalServerError).code).toBe('EXECUTABLE_NOT_FOUND');
  });
});

test('startDevServer keeps workflows in its SQLite file across restarts and serves the Web UI', async () => {
  const dbFilename = path.join(dataDir, 'dev.sqlite');
  const [port, uiPort] = [await freePort(), await freePort()];
  const options = { port, uiPort, dbFilename, namespace: 'persistence-check' };

  await withDevServer(options, async (client, uiUrl) => {
    await client.workflow.start('nobodyRunsThis', { taskQueue: 'no-worker', workflowId: 'survives-restart' });
    expect((await fetch(uiUrl ?? 'missing ui url')).status).toBe(200);
  });

  await withDevServer(options, async (client) => {
    const description = await client.workflow.getHandle('survives-restart').describe();
    expect(description.status.name).toBe('RUNNING');
  });
});

async function withDevServer(
  options: Parameters<typeof startDevServer>[0],
  use: (client: Client, uiUrl: string | undefined) => Promise<void>,
): Promise<void> {
  const server = await startDevServer(options);
  try {
    const connection = await Connection.connect({ address: server.address });
    try {
      await use(new Client({ connection, namespace: server.namespace }), server.uiUrl);
    } finally {
      await connection.close();
    }
  } finally {
    await server.stop();
  }
}

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  return undefined;
}

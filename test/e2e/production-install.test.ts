/**
 * `npm ci --omit=dev` suffices to run the compiled processes: a copy of package.json,
 * package-lock.json and a fresh dist/ gets production dependencies only, and from that copy the
 * migration, the Temporal set-up, a worker and an API run (NODE_ENV=production, encrypted payloads)
 * and carry a purchase to SUBSCRIBED against the CLI dev server, PostgreSQL and the simulators.
 * Slow (a build, then an install of some 500 MB of packages from npm's cache): about three minutes.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { runEngineCommand, startEngineProcess, waitForOk, type EngineProcess } from '../../tools/dev/engine-process';
import { freePort } from '../../tools/temporal/servers';
import { engineProcessEnv, startTestEngine, type TestEngine } from '../../tools/testing/engine';
import { asMember, TEST_MEMBER_TOKEN_KEY } from '../../tools/testing/member-tokens';
import { DEV_ONLY_PACKAGES, installProductionCopy } from '../../tools/testing/production-install';
import { purchaseBody } from '../../tools/testing/purchases';
import { createDevServerTestEnv } from '../../tools/testing/temporal';

jest.setTimeout(600_000);

const ROOT = path.resolve(__dirname, '..', '..');
const API_KEY = randomBytes(30).toString('base64url');
const piiKey = randomBytes(32);

let copyDir: string;
let env: TestWorkflowEnvironment;
let engine: TestEngine;
const processes: EngineProcess[] = [];
let engineEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  // The copy runs dist/: build the code under test rather than trust an older build.
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  copyDir = await mkdtemp(path.join(tmpdir(), 'xjp-omit-dev-'));
  await installProductionCopy(ROOT, copyDir);

  env = await createDevServerTestEnv();
  engine = await startTestEngine(env, { withoutWorker: true, piiKey });
  engineEnv = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    ...engineProcessEnv(engine, piiKey),
    API_KEYS: API_KEY,
    OPERATOR_KEYS: `ops:operator:${randomBytes(30).toString('base64url')}`,
    MEMBER_TOKEN_KEYS: JSON.stringify({ keys: [TEST_MEMBER_TOKEN_KEY] }),
    TEMPORAL_PAYLOAD_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  };
});

afterAll(async () => {
  for (const started of processes.reverse()) await started.stop();
  await engine?.stop();
  await env?.teardown();
  if (copyDir !== undefined) await rm(copyDir, { recursive: true, force: true });
});

test('the copy holds production dependencies only', () => {
  expect(existsSync(path.join(copyDir, 'node_modules', '@temporalio', 'worker'))).toBe(true);
  for (const name of DEV_ONLY_PACKAGES)
    expect({ name, installed: existsSync(path.join(copyDir, 'node_modules', name)) }).toEqual({
      name,
      installed: false,
    });
});

test('from the copy, the migration and the Temporal set-up run, a worker and an API start, and a purchase reaches SUBSCRIBED', async () => {
  const distDir = path.join(copyDir, 'dist');
  const logDir = path.join(copyDir, 'logs');
  await runEngineCommand('migrate', 'src/db/migrate-cli.js', ['up'], engineEnv, logDir, distDir);
  await runEngineCommand(
    'temporal-setup',
    'src/runtime/temporal-setup-main.js',
    ['--search-attributes'],
    engineEnv,
    logDir,
    distDir,
  );

  const workerHealth = await freePort();
  processes.push(
    await startEngineProcess(
      'worker',
      'src/runtime/worker-main.js',
      {
        ...engineEnv,
        TEMPORAL_METRICS_BIND_ADDRESS: `127.0.0.1:${await freePort()}`,
        WORKER_HEALTH_BIND_ADDRESS: `127.0.0.1:${workerHealth}`,
      },
      logDir,
      distDir,
    ),
  );
  const apiPort = await freePort();
  processes.push(
    await startEngineProcess(
      'api',
      'src/runtime/api-main.js',
      { ...engineEnv, API_PORT: String(apiPort), PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}` },
      logDir,
      distDir,
    ),
  );
  await waitForOk(`http://127.0.0.1:${workerHealth}/readyz`, 60_000);
  await waitForOk(`http://127.0.0.1:${apiPort}/readyz`, 60_000);

  const body = purchaseBody('XJP-P-0002', 1_000_000, 'M-OMIT-DEV');
  const response = await fetch(`http://127.0.0.1:${apiPort}/v1/purchases`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': API_KEY,
      'idempotency-key': 'omit-dev-1',
      ...(await asMember(body.memberId)),
    },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  expect(await response.json()).toMatchObject({ status: 'SUBSCRIBED' });

  // Both stop on SIGTERM as deployed: exit 0.
  for (const started of processes.splice(0).reverse()) expect(await started.stop()).toEqual({ code: 0, signal: null });
});

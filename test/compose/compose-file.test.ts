/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked against what the code
 * says: the engine services' environment parses as the runtime config (every key known, every
 * required key set, key files the `keys` job makes), addresses point at services on their ports, the
 * host ports are `npm run dev`'s, and every command names a file that exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { load } from 'js-yaml';
import { z } from 'zod';
import { configSchema } from '../../src/config/config';
import { DEV_API_KEY, ensureDevSecrets } from '../../tools/dev/dev-secrets';
import { DEV_PORTS } from '../../tools/dev/stack';
import { FILE_SUFFIX, loadRuntimeConfig } from '../../src/runtime/runtime-config';
import { simEnvSchema } from '../../tools/sim/sim-env';

const ROOT = join(__dirname, '..', '..');
const KEYS_MOUNT = '/keys';

const service = z.object({
  image: z.string().optional(),
  build: z.string().optional(),
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({}),
  ports: z.array(z.string().regex(/^\d+:\d+$/, 'host:container')).default([]),
  volumes: z.array(z.string()).default([]),
});
const composeFile = z.object({ services: z.record(z.string(), service) });
type Service = z.infer<typeof service>;

const compose = composeFile.parse(load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')));

function svc(name: string): Service {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** Host port → container port of a service's published ports. */
function published(name: string): Map<number, number> {
  return new Map(svc(name).ports.map((p) => p.split(':').map(Number) as [number, number]));
}

function hostAndPort(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port}`;
}

const ENGINE_SERVICES = ['api', 'worker'] as const;
const configKeys = new Set(Object.keys(configSchema.shape));

describe.each(ENGINE_SERVICES)('the %s service', (name) => {
  const env = svc(name).environment;

  test('sets only keys of the config schema, directly or as <KEY>_FILE', () => {
    const unknown = Object.keys(env).filter((key) => !configKeys.has(key) && !(key.endsWith(FILE_SUFFIX) && configKeys.has(key.slice(0, -FILE_SUFFIX.length))));
    expect(unknown).toEqual([]);
  });

  test('sets every key the schema requires (no default) and DATABASE_URL', () => {
    const required = [...configKeys].filter((key) => !configSchema.shape[key as keyof typeof configSchema.shape].safeParse(undefined).success);
    const missing = [...required, 'DATABASE_URL'].filter((key) => env[key] === undefined && env[`${key}${FILE_SUFFIX}`] === undefined);
    expect(required.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  test('parses as the runtime config, its key files being those the keys job makes', async () => {
    const keysDir = await mkdtemp(join(tmpdir(), 'xjp-compose-keys-'));
    try {
      await chmod(keysDir, 0o700);
      ensureDevSecrets(keysDir);
      const local = Object.fromEntries(
        Object.entries(env).map(([key, value]) => [key, key.endsWith(FILE_SUFFIX) && value.startsWith(`${KEYS_MOUNT}/`) ? join(keysDir, basename(value)) : value]),
      );
      const config = loadRuntimeConfig(local);
      expect(config.API_KEYS).toContain(DEV_API_KEY);
      expect(config.API_HOST).toBe('0.0.0.0');
    } finally {
      await rm(keysDir, { recursive: true, force: true });
    }
  });

  test('mounts the keys volume where its key files point', () => {
    expect(svc(name).volumes).toContain(`keys:${KEYS_MOUNT}`);
    for (const [key, value] of Object.entries(env)) if (key.endsWith(FILE_SUFFIX)) expect(value.startsWith(`${KEYS_MOUNT}/`)).toBe(true);
  });

  test('reaches the simulators, Temporal, PostgreSQL and its own API at their services and container ports', () => {
    const xjp = simEnvSchema.parse(svc('xjp-sim').environment);
    const lianlian = simEnvSchema.parse(svc('lianlian-sim').environment);
    expect(hostAndPort(env.XJP_BASE_URL ?? '')).toBe(`xjp-sim:${xjp.XJP_SIM_PORT}`);
    expect(hostAndPort(env.LIANLIAN_BASE_URL ?? '')).toBe(`lianlian-sim:${lianlian.LIANLIAN_SIM_PORT}`);
    expect(hostAndPort(env.PUBLIC_BASE_URL ?? '')).toBe(`api:${svc('api').environment.API_PORT}`);
    expect(env.TEMPORAL_ADDRESS).toBe(`temporal:${published('temporal').get(DEV_PORTS.temporal)}`);
    expect(hostAndPort(env.DATABASE_URL ?? '')).toBe(`postgres:${published('postgres').get(DEV_PORTS.postgres)}`);
    expect(env.DATABASE_URL).toBe(svc('migrate').environment.DATABASE_URL);
  });
});

test('the simulators set only keys of the simulator schema, and XJP notifies the API service', () => {
  for (const name of ['xjp-sim', 'lianlian-sim']) {
    const env = svc(name).environment;
    expect(Object.keys(env).filter((key) => !(key in simEnvSchema.shape))).toEqual([]);
    expect(env.SIM_KEYS_DIR).toBe(KEYS_MOUNT);
    expect(svc(name).volumes).toContain(`keys:${KEYS_MOUNT}`);
  }
  expect(svc('xjp-sim').environment.PUBLIC_BASE_URL).toBe(svc('api').environment.PUBLIC_BASE_URL);
  // The cashier URL goes to a browser on the host: the host's published LianLian port.
  expect(hostAndPort(svc('lianlian-sim').environment.LIANLIAN_BASE_URL ?? '')).toBe(`127.0.0.1:${DEV_PORTS.lianlianSim}`);
});

test("host ports are npm run dev's, each mapped to the port its service listens on", () => {
  expect(published('api').get(DEV_PORTS.api)).toBe(Number(svc('api').environment.API_PORT));
  expect(published('xjp-sim').get(DEV_PORTS.xjpSim)).toBe(simEnvSchema.parse(svc('xjp-sim').environment).XJP_SIM_PORT);
  expect(published('lianlian-sim').get(DEV_PORTS.lianlianSim)).toBe(simEnvSchema.parse(svc('lianlian-sim').environment).LIANLIAN_SIM_PORT);
  expect(published('temporal').get(DEV_PORTS.temporal)).toBe(7233);
  // temporalio/ui serves on 8080 inside its container.
  expect(published('temporal-ui').get(DEV_PORTS.temporalUi)).toBe(8080);
  expect(published('postgres').get(DEV_PORTS.postgres)).toBe(5432);
});

test('every service runs an image or this repository, and every command names a file that exists', () => {
  for (const [name, s] of Object.entries(compose.services)) {
    expect({ name, runs: s.image !== undefined || s.build !== undefined }).toEqual({ name, runs: true });
    for (const arg of s.command ?? []) if (/^src\/.+\.ts$/.test(arg)) expect({ name, arg, exists: existsSync(join(ROOT, arg)) }).toEqual({ name, arg, exists: true });
  }
  expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
});

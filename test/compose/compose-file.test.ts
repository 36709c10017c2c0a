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
import { configSchema, SECRET_KEYS } from '../../src/config/config';
import { PUBLISHED_DEVELOPMENT_SECRETS } from '../../src/config/production-rules';
import { ensureDevSecrets, readDevApiKey } from '../../tools/dev/dev-secrets';
import { ensureStackSecrets } from '../../tools/dev/stack-secrets';
import { DEV_PORTS } from '../../tools/dev/stack';
import { FILE_SUFFIX, loadRuntimeConfig } from '../../src/runtime/runtime-config';
import { simEnvSchema } from '../../tools/sim/sim-env';

const ROOT = join(__dirname, '..', '..');
const KEYS_MOUNT = '/keys';

const service = z.object({
  image: z.string().optional(),
  build: z.union([z.string(), z.object({ context: z.string(), target: z.string() })]).optional(),
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({}),
  ports: z.array(z.string().regex(/^\d+:\d+$/, 'host:container')).default([]),
  volumes: z.array(z.string()).default([]),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
  depends_on: z
    .record(
      z.string(),
      z.object({ condition: z.enum(['service_started', 'service_healthy', 'service_completed_successfully']) }),
    )
    .default({}),
  restart: z.string().optional(),
  stop_grace_period: z
    .string()
    .regex(/^\d+s$/)
    .transform((v) => Number(v.slice(0, -1)) * 1000)
    .optional(),
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
    const unknown = Object.keys(env).filter(
      (key) =>
        !configKeys.has(key) && !(key.endsWith(FILE_SUFFIX) && configKeys.has(key.slice(0, -FILE_SUFFIX.length))),
    );
    expect(unknown).toEqual([]);
  });

  test('sets every key the schema requires (no default) and DATABASE_URL', () => {
    const required = [...configKeys].filter(
      (key) => !configSchema.shape[key as keyof typeof configSchema.shape].safeParse(undefined).success,
    );
    const missing = [...required, 'DATABASE_URL'].filter(
      (key) => env[key] === undefined && env[`${key}${FILE_SUFFIX}`] === undefined,
    );
    expect(required.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  test('parses as the runtime config, its key files being those the keys job makes', async () => {
    const keysDir = await mkdtemp(join(tmpdir(), 'xjp-compose-keys-'));
    try {
      await chmod(keysDir, 0o700);
      ensureDevSecrets(keysDir);
      ensureStackSecrets(keysDir);
      const local = Object.fromEntries(
        Object.entries(env).map(([key, value]) => [
          key,
          key.endsWith(FILE_SUFFIX) && value.startsWith(`${KEYS_MOUNT}/`) ? join(keysDir, basename(value)) : value,
        ]),
      );
      // Production, as the file says: its random keys pass the production rules.
      const config = loadRuntimeConfig(local);
      expect(config.NODE_ENV).toBe('production');
      expect(config.API_KEYS).toEqual([readDevApiKey(keysDir)]);
      expect(config.OPERATOR_KEYS.map((operator) => operator.role).sort()).toEqual(['finance', 'operator', 'viewer']);
      expect(config.TEMPORAL_PAYLOAD_KEYS).toHaveLength(1);
      expect(config.API_HOST).toBe('0.0.0.0');
    } finally {
      await rm(keysDir, { recursive: true, force: true });
    }
  });

  test('mounts the keys volume where its key files point', () => {
    expect(svc(name).volumes).toContain(`keys:${KEYS_MOUNT}:ro`);
    for (const [key, value] of Object.entries(env))
      if (key.endsWith(FILE_SUFFIX)) expect(value.startsWith(`${KEYS_MOUNT}/`)).toBe(true);
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
  expect(hostAndPort(svc('lianlian-sim').environment.LIANLIAN_BASE_URL ?? '')).toBe(
    `127.0.0.1:${DEV_PORTS.lianlianSim}`,
  );
});

test("host ports are npm run dev's, each mapped to the port its service listens on", () => {
  expect(published('api').get(DEV_PORTS.api)).toBe(Number(svc('api').environment.API_PORT));
  expect(published('xjp-sim').get(DEV_PORTS.xjpSim)).toBe(simEnvSchema.parse(svc('xjp-sim').environment).XJP_SIM_PORT);
  expect(published('lianlian-sim').get(DEV_PORTS.lianlianSim)).toBe(
    simEnvSchema.parse(svc('lianlian-sim').environment).LIANLIAN_SIM_PORT,
  );
  expect(published('temporal').get(DEV_PORTS.temporal)).toBe(7233);
  // temporalio/ui serves on 8080 inside its container.
  expect(published('temporal-ui').get(DEV_PORTS.temporalUi)).toBe(8080);
  expect(published('postgres').get(DEV_PORTS.postgres)).toBe(5432);
});

test('every service runs an image or this repository, and every command names a file that exists', () => {
  for (const [name, s] of Object.entries(compose.services)) {
    expect({ name, runs: s.image !== undefined || s.build !== undefined }).toEqual({ name, runs: true });
    for (const arg of s.command ?? []) {
      // Compiled entries (dist/src/….js) come from the TypeScript file of the same path.
      const source =
        /^dist\/(src\/.+)\.js$/.exec(arg)?.[1]?.concat('.ts') ?? (/^(src|tools)\/.+\.ts$/.test(arg) ? arg : undefined);
      if (source !== undefined)
        expect({ name, source, exists: existsSync(join(ROOT, source)) }).toEqual({ name, source, exists: true });
    }
  }
  expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
});

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

test('no service carries a development credential or a secret in plain: secrets come from key files', () => {
  const publicSecrets = PUBLISHED_DEVELOPMENT_SECRETS;
  for (const [name, s] of Object.entries(compose.services)) {
    for (const [key, value] of Object.entries(s.environment)) {
      expect({ name, key, public: publicSecrets.some((secret) => value.includes(secret ?? '')) }).toEqual({
        name,
        key,
        public: false,
      });
    }
  }
  for (const name of ENGINE_SERVICES) {
    const env = svc(name).environment;
    const plain = SECRET_KEYS.filter((key) => key !== 'DATABASE_URL' && env[key] !== undefined);
    expect(plain).toEqual([]);
  }
});

test('images are pinned, Temporal is temporalio/server with admin-tools jobs (not the deprecated auto-setup)', () => {
  for (const [name, s] of Object.entries(compose.services)) {
    if (s.image === undefined || s.build !== undefined) continue;
    expect({ name, pinned: /:[^:]*\d+\.\d+/.test(s.image) && !s.image.endsWith(':latest') }).toEqual({
      name,
      pinned: true,
    });
  }
  expect(svc('temporal').image).toMatch(/^temporalio\/server:/);
  expect(svc('temporal-schema').image).toMatch(/^temporalio\/admin-tools:/);
  expect(svc('temporal-ui').image).toMatch(/^temporalio\/ui:/);
  expect(Object.values(compose.services).some((s) => s.image?.includes('auto-setup'))).toBe(false);
});

test('a service waits for each dependency to be healthy (or, for a job, to have finished), never merely started', () => {
  for (const [name, s] of Object.entries(compose.services)) {
    for (const [dependency, { condition }] of Object.entries(s.depends_on)) {
      const target = svc(dependency);
      const expected =
        target.restart === 'no'
          ? 'service_completed_successfully'
          : target.healthcheck !== undefined
            ? 'service_healthy'
            : 'service_started';
      expect({ name, dependency, condition }).toEqual({ name, dependency, condition: expected });
    }
  }
  for (const name of ['postgres', 'temporal', 'api', 'worker'])
    expect({ name, healthcheck: svc(name).healthcheck !== undefined }).toEqual({ name, healthcheck: true });
  expect(svc('api').depends_on['temporal-setup']?.condition).toBe('service_completed_successfully');
});

test("the engine services get longer to stop than their longest request or the worker's shutdown grace", () => {
  const worker = loadRuntimeConfigShape(svc('worker').environment);
  expect(svc('worker').stop_grace_period).toBeGreaterThan(
    worker.TEMPORAL_WORKER_SHUTDOWN_GRACE_MS + worker.TEMPORAL_WORKER_SHUTDOWN_FORCE_MS,
  );
  const api = loadRuntimeConfigShape(svc('api').environment);
  // POST /v1/purchases waits up to 20 s for XJP's subscription.
  expect(svc('api').stop_grace_period).toBeGreaterThan(api.API_DRAIN_DELAY_MS + 20_000);
});

function loadRuntimeConfigShape(env: Record<string, string>) {
  return configSchema
    .pick({
      TEMPORAL_WORKER_SHUTDOWN_GRACE_MS: true,
      TEMPORAL_WORKER_SHUTDOWN_FORCE_MS: true,
      API_DRAIN_DELAY_MS: true,
    })
    .parse(env);
}

test('the Dockerfile builds in one stage and runs compiled code with production dependencies only, as a non-root user under an init, on a current LTS Node', () => {
  const stages = [...dockerfile.matchAll(/^FROM (\S+) AS (\S+)$/gm)].map((m) => m[2]);
  expect(stages).toEqual(['build', 'production-dependencies', 'tools', 'runtime']);
  const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
  expect(dockerfile).toMatch(/npm ci --omit=dev/);
  expect(runtime).toMatch(/^USER node$/m);
  expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
  expect(runtime).toMatch(/^HEALTHCHECK /m);
  expect(runtime).toMatch(/^EXPOSE 3000/m);
  expect(runtime).toMatch(/^CMD \["node", "dist\/src\/runtime\/api-main\.js"\]$/m);
  expect(runtime).not.toMatch(/tsx/);
  const nodeMajor = Number(/^ARG NODE_IMAGE=node:(\d+)-/m.exec(dockerfile)?.[1]);
  expect(nodeMajor % 2).toBe(0);
  expect(nodeMajor).toBeGreaterThanOrEqual(24);
});

import { join } from 'node:path';
import { z } from 'zod';
import { loadOrCreateKeyPair } from './common/key-files';
import type { LianLianSimulatorOptions } from './lianlian/options';
import type { XjpSimulatorOptions } from './xjp/options';

const port = z.coerce.number().int().min(0).max(65535);
const pem = z.string().includes('-----BEGIN', { message: 'must be a PEM block' }).optional();

/** The simulators' environment; key PEMs not given are read from (or generated into) `SIM_KEYS_DIR`. */
export const simEnvSchema = z.object({
  SIM_HOST: z.string().default('127.0.0.1'),
  XJP_SIM_PORT: port.default(4100),
  LIANLIAN_SIM_PORT: port.default(4200),
  /** How others reach each simulator (the engine reads the same names). */
  XJP_BASE_URL: z.url().optional(),
  LIANLIAN_BASE_URL: z.url().optional(),
  /** The engine's public base; XJP notifies `<base>/notify/xjp/payment` unless told otherwise. */
  PUBLIC_BASE_URL: z.url().default('http://127.0.0.1:3000'),
  XJP_SIM_ENGINE_NOTIFY_URL: z.url().optional(),
  XJP_PARTNER_ID: z.string().min(1).default('PLATFORM01'),
  LIANLIAN_OID_PARTNER: z.string().min(1).default('201811220000001'),
  LIANLIAN_XJP_OID_PARTNER: z.string().min(1).default('201811220000002'),
  SIM_KEYS_DIR: z.string().default('.data/keys'),
  /** Where both simulators keep their books across restarts (`xjp.json`, `lianlian.json`); unset: in memory only. */
  SIM_STATE_DIR: z.string().min(1).optional(),
  PLATFORM_PUBLIC_KEY_PEM: pem,
  XJP_PRIVATE_KEY_PEM: pem,
  XJP_PUBLIC_KEY_PEM: pem,
  LIANLIAN_PRIVATE_KEY_PEM: pem,
  LIANLIAN_PUBLIC_KEY_PEM: pem,
});
export type SimEnv = z.infer<typeof simEnvSchema>;

/** Parses the environment, listing every problem at once. */
export function loadSimEnv(env: NodeJS.ProcessEnv = process.env): SimEnv {
  const parsed = simEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid simulator environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

type Party = 'platform' | 'xjp' | 'lianlian';

/** A party's key: the PEM from the environment, else the one in the keys directory (made on first run). */
function key(env: SimEnv, party: Party, half: 'public' | 'private', given: string | undefined): string {
  if (given !== undefined) return given;
  const files = loadOrCreateKeyPair(env.SIM_KEYS_DIR, party);
  if (files.created)
    console.log(`generated ${party} key pair: ${files.publicKeyPath} (public), ${files.privateKeyPath}`);
  return half === 'public' ? files.publicKeyPem : files.privateKeyPem;
}

/** Prints where the public keys the engine needs are kept. */
export function printKeyPaths(env: SimEnv): void {
  for (const party of ['platform', 'xjp', 'lianlian'] as const) {
    console.log(`${party} public key: ${loadOrCreateKeyPair(env.SIM_KEYS_DIR, party).publicKeyPath}`);
  }
}

function localUrl(env: SimEnv, port: number): string {
  return `http://${env.SIM_HOST === '0.0.0.0' ? '127.0.0.1' : env.SIM_HOST}:${port}`;
}

/** The XJP simulator's options from the environment. */
export function xjpOptionsFromEnv(env: SimEnv): XjpSimulatorOptions {
  return {
    partnerId: env.XJP_PARTNER_ID,
    platformPublicKeyPem: key(env, 'platform', 'public', env.PLATFORM_PUBLIC_KEY_PEM),
    xjpPrivateKeyPem: key(env, 'xjp', 'private', env.XJP_PRIVATE_KEY_PEM),
    lianlianPublicKeyPem: key(env, 'lianlian', 'public', env.LIANLIAN_PUBLIC_KEY_PEM),
    lianlianBaseUrl: env.LIANLIAN_BASE_URL ?? localUrl(env, env.LIANLIAN_SIM_PORT),
    lianlianOidPartner: env.LIANLIAN_XJP_OID_PARTNER,
    engineNotifyUrl: env.XJP_SIM_ENGINE_NOTIFY_URL ?? `${env.PUBLIC_BASE_URL}/notify/xjp/payment`,
    publicBaseUrl: env.XJP_BASE_URL,
    host: env.SIM_HOST,
    ...stateFile(env, 'xjp'),
  };
}

/** The LianLian simulator's options from the environment. */
export function lianLianOptionsFromEnv(env: SimEnv): LianLianSimulatorOptions {
  return {
    lianlianPrivateKeyPem: key(env, 'lianlian', 'private', env.LIANLIAN_PRIVATE_KEY_PEM),
    xjpPublicKeyPem: key(env, 'xjp', 'public', env.XJP_PUBLIC_KEY_PEM),
    platformPublicKeyPem: key(env, 'platform', 'public', env.PLATFORM_PUBLIC_KEY_PEM),
    xjpOidPartner: env.LIANLIAN_XJP_OID_PARTNER,
    platformOidPartner: env.LIANLIAN_OID_PARTNER,
    publicBaseUrl: env.LIANLIAN_BASE_URL,
    host: env.SIM_HOST,
    ...stateFile(env, 'lianlian'),
  };
}

function stateFile(env: SimEnv, simulator: 'xjp' | 'lianlian'): { stateFile?: string } {
  return env.SIM_STATE_DIR === undefined ? {} : { stateFile: join(env.SIM_STATE_DIR, `${simulator}.json`) };
}

/** Closes the running simulators on Ctrl-C or SIGTERM. */
export function closeOnSignal(close: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void close().then(() => process.exit(0));
    });
  }
}

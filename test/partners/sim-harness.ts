import { generateRsaKeyPair, type KeyPairPem } from '../../src/partners/signing';
import { createLianLianSimulator } from '../../tools/sim/lianlian/simulator';
import { createXjpSimulator } from '../../tools/sim/xjp/simulator';

/** Both simulators on ephemeral ports with fresh keys, as the contract tests use them. */
export interface RunningPartners {
  keys: { platform: KeyPairPem; xjp: KeyPairPem; lianlian: KeyPairPem };
  xjpUrl: string;
  lianlianUrl: string;
  close(): Promise<void>;
}

/** The platform's merchant id at LianLian and partner id at XJP (the simulators' defaults). */
export const OID_PARTNER = '201811220000001';
export const PARTNER_ID = 'PLATFORM01';

/**
 * Starts LianLian, then XJP pointed at it. XJP's notifications go to a closed port: these tests
 * exercise the clients, and the engine's notification endpoint is not theirs to test.
 */
export async function startPartners(): Promise<RunningPartners> {
  const keys = { platform: generateRsaKeyPair(), xjp: generateRsaKeyPair(), lianlian: generateRsaKeyPair() };
  const lianlian = await createLianLianSimulator({
    lianlianPrivateKeyPem: keys.lianlian.privateKeyPem,
    xjpPublicKeyPem: keys.xjp.publicKeyPem,
    platformPublicKeyPem: keys.platform.publicKeyPem,
    platformOidPartner: OID_PARTNER,
    payout: { stepDelayMs: 50, checkHoldMs: 60_000, reversalDelayMs: 60_000, duplicateWindowMs: 24 * 60 * 60 * 1000 },
  }).listen();
  const xjp = await createXjpSimulator({
    partnerId: PARTNER_ID,
    platformPublicKeyPem: keys.platform.publicKeyPem,
    xjpPrivateKeyPem: keys.xjp.privateKeyPem,
    lianlianPublicKeyPem: keys.lianlian.publicKeyPem,
    lianlianBaseUrl: lianlian.url,
    engineNotifyUrl: 'http://127.0.0.1:9/notify/xjp/payment',
  }).listen();
  return {
    keys,
    xjpUrl: xjp.url,
    lianlianUrl: lianlian.url,
    close: async () => {
      await xjp.close();
      await lianlian.close();
    },
  };
}

/** POSTs to a simulator's unsigned admin API and fails loudly if it refuses. */
export async function admin(baseUrl: string, path: string, body: unknown = {}): Promise<unknown> {
  const response = await fetch(`${baseUrl}/admin${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`admin ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** A simulator's whole state, from `GET /admin/state`. */
export async function adminState(baseUrl: string): Promise<unknown> {
  const response = await fetch(`${baseUrl}/admin/state`);
  if (!response.ok) throw new Error(`admin state answered ${response.status}`);
  return response.json();
}

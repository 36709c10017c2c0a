import express from 'express';
import type { AddressInfo } from 'node:net';
import { generateRsaKeyPair, withSignature, type KeyPairPem } from '../../src/partners/signing';
import { formatShanghaiTimestamp } from '../../tools/sim/common/shanghai-time';
import { createLianLianSimulator } from '../../tools/sim/lianlian/simulator';
import type { PayoutTiming } from '../../tools/sim/lianlian/options';
import { createXjpSimulator } from '../../tools/sim/xjp/simulator';

export const PARTNER_ID = 'PLATFORM01';
export const PLATFORM_OID = '201811220000001';
export const XJP_NOTIFY_PATH = '/notify/xjp/payment';
export const PAYOUT_NOTIFY_PATH = '/notify/lianlian/payout';
/** An ID-card number with a correct GB 11643 check character. */
export const VALID_ID_CARD = '11010519491231002X';

/** One request the stand-in engine received. */
export interface Received {
  path: string;
  body: Record<string, unknown>;
  at: number;
}

/** A stand-in for the engine's notification endpoints: records every call and acks unless scripted otherwise. */
export interface Receiver {
  url: string;
  received: Received[];
  /** The next answers for `path`, used before the default acknowledgement. */
  script(path: string, answers: { status: number; body: unknown }[]): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const scripted = new Map<string, { status: number; body: unknown }[]>();
  const app = express();
  app.use(express.json());
  app.post(/.*/, (req, res) => {
    received.push({ path: req.path, body: req.body as Record<string, unknown>, at: Date.now() });
    const next = scripted.get(req.path)?.shift();
    if (next !== undefined) res.status(next.status).json(next.body);
    else if (req.path === XJP_NOTIFY_PATH) res.json({ code: 'SUCCESS' });
    else res.json({ ret_code: '0000', ret_msg: 'ok' });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    script: (path, answers) => scripted.set(path, [...(scripted.get(path) ?? []), ...answers]),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Both simulators and the stand-in engine, with fresh keys and millisecond timings. */
export interface World {
  keys: { platform: KeyPairPem; xjp: KeyPairPem; lianlian: KeyPairPem };
  xjpUrl: string;
  lianlianUrl: string;
  engine: Receiver;
  close(): Promise<void>;
}

const TEST_PAYOUT_TIMING: PayoutTiming = {
  stepDelayMs: 20,
  checkHoldMs: 300,
  reversalDelayMs: 100,
  duplicateWindowMs: 24 * 60 * 60 * 1000,
};

export async function startWorld(payout: Partial<PayoutTiming> = {}): Promise<World> {
  const keys = { platform: generateRsaKeyPair(), xjp: generateRsaKeyPair(), lianlian: generateRsaKeyPair() };
  const engine = await startReceiver();
  const retry = { attempts: 5, baseDelayMs: 20, factor: 1 };
  const lianlian = await createLianLianSimulator({
    lianlianPrivateKeyPem: keys.lianlian.privateKeyPem,
    xjpPublicKeyPem: keys.xjp.publicKeyPem,
    platformPublicKeyPem: keys.platform.publicKeyPem,
    notificationRetry: retry,
    payout: { ...TEST_PAYOUT_TIMING, ...payout },
  }).listen();
  const xjp = await createXjpSimulator({
    platformPublicKeyPem: keys.platform.publicKeyPem,
    xjpPrivateKeyPem: keys.xjp.privateKeyPem,
    lianlianPublicKeyPem: keys.lianlian.publicKeyPem,
    lianlianBaseUrl: lianlian.url,
    engineNotifyUrl: `${engine.url}${XJP_NOTIFY_PATH}`,
    notificationRetry: retry,
  }).listen();
  return {
    keys,
    xjpUrl: xjp.url,
    lianlianUrl: lianlian.url,
    engine,
    close: async () => {
      await xjp.close();
      await lianlian.close();
      await engine.close();
    },
  };
}

/**
 * Both simulators and the stand-in engine for the calling test file: started before its tests,
 * closed after them, and reset (simulator state, received notifications) before each test. The
 * returned world reads the running one, so it can be held at module level.
 */
export function useWorld(): World {
  let running: World | undefined;
  beforeAll(async () => {
    running = await startWorld();
  });
  afterAll(async () => {
    await running?.close();
  });
  beforeEach(async () => {
    await admin(current().xjpUrl, '/reset');
    await admin(current().lianlianUrl, '/reset');
    current().engine.received.length = 0;
  });
  function current(): World {
    if (running === undefined) throw new Error('the simulators are used before beforeAll started them');
    return running;
  }
  return {
    get keys() {
      return current().keys;
    },
    get xjpUrl() {
      return current().xjpUrl;
    },
    get lianlianUrl() {
      return current().lianlianUrl;
    },
    get engine() {
      return current().engine;
    },
    close: () => current().close(),
  };
}

/** A JSON answer with its HTTP status. */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A call to XJP's API signed with the platform's key (or `signWith`), at `sentAt`. */
export function callXjp(
  world: World,
  path: string,
  fields: Record<string, unknown>,
  options: { signWith?: string; sentAt?: Date } = {},
): Promise<Answer> {
  const body = withSignature(
    { partnerId: PARTNER_ID, timestamp: (options.sentAt ?? new Date()).toISOString(), ...fields },
    options.signWith ?? world.keys.platform.privateKeyPem,
  );
  return post(`${world.xjpUrl}/api${path}`, body);
}

/** A call to LianLian's gateway signed with the platform's key (or `signWith`), at `sentAt`. */
export function callLianLian(
  world: World,
  path: string,
  fields: Record<string, unknown>,
  options: { signWith?: string; sentAt?: Date } = {},
): Promise<Answer> {
  const body = withSignature(
    {
      oid_partner: PLATFORM_OID,
      timestamp: formatShanghaiTimestamp(options.sentAt ?? new Date()),
      sign_type: 'RSA',
      ...fields,
    },
    options.signWith ?? world.keys.platform.privateKeyPem,
  );
  return post(`${world.lianlianUrl}/gateway${path}`, body);
}

export async function admin(baseUrl: string, path: string, body: unknown = {}): Promise<Answer> {
  return post(`${baseUrl}/admin${path}`, body);
}

export async function adminState<T>(baseUrl: string): Promise<T> {
  const response = await fetch(`${baseUrl}/admin/state`);
  return (await response.json()) as T;
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 3_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let requestSequence = 0;
/** A fresh idempotency key. */
export function nextId(prefix: string): string {
  requestSequence += 1;
  return `${prefix}-${Date.now()}-${requestSequence}`;
}

/** Opens an account for a new member and returns its number. */
export async function openAccount(world: World, memberId = nextId('M')): Promise<string> {
  const answer = await callXjp(world, '/accounts/open', {
    requestId: nextId('R'),
    channel: 'PC',
    memberId,
    name: '张三',
    mobile: '13812345678',
    idCardNo: VALID_ID_CARD,
    email: 'zhang@example.com',
  });
  const data = answer.body.data as { accountNo: string };
  return data.accountNo;
}

/** The XjpOrder fields the tests read. */
export interface OrderData {
  purchaseRecordId: string;
  xjpOrderId: string;
  xjpOrderNo: string;
  amountFen: number;
  maturityInterestFen: number;
  maturityAmountFen: number;
  interestStartDate: string;
  interestEndDate: string;
  payStatus: string;
  orderTime: string;
  cashierUrl: string;
}

/** Subscribes `amountFen` to `productId` for a new account and returns the order. */
export async function subscribe(world: World, amountFen = 100_000, productId = 'XJP-P-0001'): Promise<OrderData> {
  const accountNo = await openAccount(world);
  const answer = await callXjp(world, '/subscriptions', {
    requestId: nextId('R'),
    purchaseRecordId: nextId('PR'),
    productId,
    accountNo,
    amountFen,
  });
  if (answer.status !== 200) throw new Error(`subscription refused: ${JSON.stringify(answer.body)}`);
  return answer.body.data as OrderData;
}

/** Presses Pay on the order's cashier, as a browser form would. */
export async function pay(order: OrderData): Promise<Response> {
  return fetch(`${order.cashierUrl}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
  });
}

/** Completes a bank card number's Luhn check digit. */
export function withLuhnDigit(prefix: string): string {
  for (let digit = 0; digit <= 9; digit += 1) {
    const candidate = `${prefix}${digit}`;
    let sum = 0;
    [...candidate].reverse().forEach((c, i) => {
      const d = Number(c) * (i % 2 === 1 ? 2 : 1);
      sum += d > 9 ? d - 9 : d;
    });
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable: one digit always completes the Luhn sum');
}

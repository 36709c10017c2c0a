/** Buying and paying the way the platform and an investor do: over HTTP. */
import { randomUUID } from 'node:crypto';
import type { TestEngine } from './engine';
import { TEST_API_KEY } from './engine';
import { asMember } from './member-tokens';

/** A valid purchase request body for a product (a real-format ID card and a Luhn-valid card). */
export function purchaseBody(productId: string, amountFen: number, memberId = 'M10001') {
  return {
    memberId,
    productId,
    amountFen,
    investor: { name: '张三', mobile: '13800138000', idCardNo: '11010519491231002X', email: 'zhangsan@example.com' },
    bankCard: { cardNo: '6222020200112233446', bankCode: 'ICBC' },
    channel: 'PC',
  };
}

/** POST /v1/purchases with a fresh (or given) Idempotency-Key, as the body's member (a fresh token). */
export async function buy(
  engine: TestEngine,
  body: Record<string, unknown> & { memberId: string },
  idempotencyKey = `idem-${randomUUID()}`,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${engine.apiUrl}/v1/purchases`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': TEST_API_KEY,
      'idempotency-key': idempotencyKey,
      ...(await asMember(body.memberId)),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The headers of the platform acting for `memberId`: its API key and a fresh member token. */
export async function asPlatformFor(memberId: string): Promise<Record<string, string>> {
  return { 'x-api-key': TEST_API_KEY, ...(await asMember(memberId)) };
}

/** POST /v1/purchases/:orderNo/cancel or /withdraw as the order's member (default purchaseBody's). */
export async function memberAction(
  engine: TestEngine,
  orderNo: string,
  action: 'cancel' | 'withdraw',
  memberId = 'M10001',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${engine.apiUrl}/v1/purchases/${orderNo}/${action}`, {
    method: 'POST',
    headers: await asPlatformFor(memberId),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Presses "Pay" on the LianLian cashier page the order's payment URL opens; `amountFen`: another amount arrives (a simulator fault). */
export async function payAtCashier(paymentUrl: string, amountFen?: number): Promise<void> {
  const query = amountFen === undefined ? '' : `?amountFen=${amountFen}`;
  const response = await fetch(`${paymentUrl}/pay${query}`, {
    method: 'POST',
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`cashier answered ${response.status}: ${await response.text()}`);
}

/** Reads a simulator's admin state. */
export async function simState<T>(baseUrl: string): Promise<T> {
  const response = await fetch(`${baseUrl}/admin/state`);
  return (await response.json()) as T;
}

/** POSTs to a simulator's admin API. */
export async function simAdmin(baseUrl: string, path: string, body: unknown = {}): Promise<void> {
  const response = await fetch(`${baseUrl}/admin${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`admin ${path} answered ${response.status}: ${await response.text()}`);
}

/**
 * POST /v1/purchases/:orderNo/early-redemption/quote (no body) or /early-redemption (`body`: the
 * confirmation) as the order's member (default purchaseBody's), with a fresh token.
 */
export async function earlyRedemptionCall(
  engine: TestEngine,
  orderNo: string,
  call: 'quote' | 'confirm',
  body?: unknown,
  memberId = 'M10001',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const path = call === 'quote' ? 'early-redemption/quote' : 'early-redemption';
  const response = await fetch(`${engine.apiUrl}/v1/purchases/${orderNo}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await asPlatformFor(memberId)) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

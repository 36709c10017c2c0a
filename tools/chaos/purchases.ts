/** Buying, paying and cancelling the way the platform and investors do, retried as a careful client retries. */
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { memberTokenHeader } from '../dev/member-token';
import type { ChaosStack } from './processes';

/** The audience member tokens are minted for: the engine's default. */
const MEMBER_TOKEN_AUDIENCE = 'xjp-order-engine';
import { send, type Tally } from './http';

/** What the suite means to do with an order once it is subscribed. */
export type Intent = 'PAY' | 'LEAVE_UNPAID' | 'CANCEL';

/** One purchase the suite made and what it knows of it. */
export interface Purchase {
  idempotencyKey: string;
  memberId: string;
  amountFen: number;
  intent: Intent;
  orderNo?: string;
  /** The answer's status when the purchase was refused for good (a 4xx); the order then has no end state to reach. */
  refused?: number;
}

/** The product every suite order buys: 90 days, 1,000 yuan minimum, 10 yuan steps, quota for thousands of orders. */
export const PRODUCT_ID = 'XJP-P-0002';

const created = z.object({ orderNo: z.string(), status: z.string(), paymentUrl: z.string().optional() });

/** A valid request body for a member (real-format ID card, Luhn-valid card). */
export function purchaseBody(memberId: string, amountFen: number) {
  return {
    memberId,
    productId: PRODUCT_ID,
    amountFen,
    investor: { name: '张三', mobile: '13800138000', idCardNo: '11010519491231002X', email: 'zhangsan@example.com' },
    bankCard: { cardNo: '6222020200112233446', bankCode: 'ICBC' },
    channel: 'PC',
  };
}

/** The platform's headers; a member action also carries a fresh member token (each is spent once). */
async function headers(stack: ChaosStack, idempotencyKey?: string, memberId?: string): Promise<Record<string, string>> {
  return {
    'content-type': 'application/json',
    'x-api-key': stack.apiKey,
    ...(memberId === undefined
      ? {}
      : await memberTokenHeader(stack.memberTokenKey, memberId, { audience: MEMBER_TOKEN_AUDIENCE })),
    ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
  };
}

/** Retries until the API gives a definite answer (not 5xx, no answer); returns it, or undefined when `deadline` passes. */
async function definite(deadline: number, attempt: () => Promise<{ status: number; body: unknown }>) {
  for (let wait = 250; Date.now() < deadline; wait = Math.min(wait * 2, 4_000)) {
    const answer = await attempt();
    if (answer.status !== 0 && answer.status < 500) return answer;
    await delay(wait);
  }
  return undefined;
}

/** POST /v1/purchases, retried with the same Idempotency-Key until an order exists or it is refused; the payment URL once subscribed. */
export async function buy(
  stack: ChaosStack,
  tally: Tally,
  purchase: Purchase,
  deadline: number,
): Promise<string | undefined> {
  const answer = await definite(deadline, async () =>
    send(tally, `${stack.apiUrl}/v1/purchases`, {
      method: 'POST',
      headers: await headers(stack, purchase.idempotencyKey, purchase.memberId),
      body: JSON.stringify(purchaseBody(purchase.memberId, purchase.amountFen)),
    }),
  );
  if (answer === undefined) return undefined;
  const parsed = created.safeParse(answer.body);
  if (!parsed.success) {
    purchase.refused = answer.status;
    return undefined;
  }
  purchase.orderNo = parsed.data.orderNo;
  if (parsed.data.paymentUrl !== undefined) return parsed.data.paymentUrl;
  // 202: XJP was slow; the order goes on and GET shows its payment URL once subscribed.
  while (Date.now() < deadline) {
    const detail = await send(tally, `${stack.apiUrl}/v1/purchases/${purchase.orderNo}`, {
      headers: await headers(stack, undefined, purchase.memberId),
    });
    const view = created.safeParse(detail.body);
    if (view.success && view.data.paymentUrl) return view.data.paymentUrl;
    if (view.success && view.data.status === 'REJECTED') return undefined;
    await delay(1_000);
  }
  return undefined;
}

/** Presses "Pay" on the cashier page until LianLian takes it. */
export async function pay(tally: Tally, paymentUrl: string, deadline: number): Promise<boolean> {
  const answer = await definite(deadline, () =>
    send(tally, `${paymentUrl}/pay`, { method: 'POST', headers: { accept: 'application/json' } }),
  );
  return answer !== undefined && answer.status < 400;
}

/** Asks to cancel until the API answers (202 requested, or 409 when it is too late). */
export async function cancel(
  stack: ChaosStack,
  tally: Tally,
  orderNo: string,
  memberId: string,
  deadline: number,
): Promise<void> {
  await definite(deadline, async () =>
    send(tally, `${stack.apiUrl}/v1/purchases/${orderNo}/cancel`, {
      method: 'POST',
      headers: await headers(stack, undefined, memberId),
    }),
  );
}

/** Buys and then pays, leaves or cancels, as the purchase's intent says. */
export async function buyAndAct(stack: ChaosStack, tally: Tally, purchase: Purchase, deadline: number): Promise<void> {
  const paymentUrl = await buy(stack, tally, purchase, deadline);
  if (paymentUrl === undefined || purchase.orderNo === undefined) return;
  if (purchase.intent === 'PAY') await pay(tally, paymentUrl, deadline);
  if (purchase.intent === 'CANCEL') await cancel(stack, tally, purchase.orderNo, purchase.memberId, deadline);
}

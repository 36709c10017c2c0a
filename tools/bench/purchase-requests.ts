/**
 * POST /v1/purchases requests made ready before a load run: each with its own Idempotency-Key and
 * a freshly minted member token (one token per action, as the API demands), so minting is never
 * timed. Members come from a small pool so the XJP simulator's account book stays small and, after
 * the warm-up, every member already has an account (the first purchase of a member opens one).
 */
import { randomUUID } from 'node:crypto';
import type { PurchaseOrder } from '../../src/db/entities/purchase-order';
import { createOrder } from '../../src/db/repositories/orders';
import type { OrderTerms } from '../../src/domain/order-terms';
import { TEST_API_KEY, type TestEngine } from '../testing/engine';
import { asMember } from '../testing/member-tokens';
import { purchaseBody } from '../testing/purchases';
import type { PreparedRequest } from './load/load';

/** The 90-day product: the largest quota in the simulator's catalogue, so thousands of purchases fit. */
export const LADDER_PRODUCT_ID = 'XJP-P-0002';
/** Its minimum amount (1,000 yuan): the quota left then takes 6,500 purchases. */
export const LADDER_AMOUNT_FEN = 100_000;
/** As many members as the highest concurrency: each burst request is a different member. */
const MEMBER_POOL = 32;

/** The pool's `index`th member (wrapping around). */
export function ladderMember(index: number): string {
  return `M2${String(index % MEMBER_POOL).padStart(4, '0')}`;
}

/** The headers and body of one purchase by `memberId`, with a new Idempotency-Key and member token. */
export async function preparePurchase(memberId: string): Promise<PreparedRequest> {
  return {
    headers: {
      'content-type': 'application/json',
      'x-api-key': TEST_API_KEY,
      'idempotency-key': `bench-${randomUUID()}`,
      ...(await asMember(memberId)),
    },
    body: JSON.stringify(purchaseBody(LADDER_PRODUCT_ID, LADDER_AMOUNT_FEN, memberId)),
  };
}

/** `count` purchases, members taken in turn from the pool. */
export async function preparePurchases(count: number): Promise<PreparedRequest[]> {
  const prepared: PreparedRequest[] = [];
  for (let i = 0; i < count; i++) prepared.push(await preparePurchase(ladderMember(i)));
  return prepared;
}

/** An order row as the API writes it for a purchase (the repository's insert), without the request around it. */
export function insertLadderOrder(
  engine: TestEngine,
  terms: OrderTerms,
  memberId: string,
  idempotencyKey: string,
): Promise<PurchaseOrder> {
  const { investor, bankCard } = purchaseBody(LADDER_PRODUCT_ID, LADDER_AMOUNT_FEN, memberId);
  return createOrder(engine.db.orm.em.fork(), engine.pii, {
    idempotencyKey,
    memberId,
    amountFen: LADDER_AMOUNT_FEN,
    product: terms,
    investor: { ...investor, bankCardNo: bankCard.cardNo, bankCode: bankCard.bankCode },
    channel: 'PC',
    actor: 'INVESTOR',
    at: new Date(),
  });
}

/**
 * The member's order history over real HTTP on the whole engine: orders written straight to
 * PostgreSQL (the history reads nothing else), then paged with the cursor and filtered by status
 * group, product and order date; bad parameters answer 400 on the field.
 */
import request from 'supertest';
import { orderHistorySchema } from '../../../src/api/investor/schemas';
import { createOrder, transitionOrder } from '../../../src/db/repositories/orders';
import type { OrderStatus } from '../../../src/domain/order-status';
import { TEST_API_KEY, useTestEngine } from '../../../tools/testing/engine';
import { asMember } from '../../../tools/testing/member-tokens';
import { orderInput } from '../../db/repositories/fixtures';

const OWNER = 'M31001';
const STRANGER = 'M31002';

const running = useTestEngine();

/** Order number by name, to read answers against. */
const placed = new Map<string, string>();

/** The lifecycle to walk an order to each status it is left in. */
const PATH: Partial<Record<OrderStatus, OrderStatus[]>> = {
  CREATED: [],
  SUBSCRIBED: ['SUBSCRIBED'],
  ACCRUING: ['SUBSCRIBED', 'PAID', 'ACCRUING'],
  COMPLETED: ['SUBSCRIBED', 'PAID', 'ACCRUING', 'MATURED', 'PAYING_OUT', 'COMPLETED'],
  EXPIRED: ['SUBSCRIBED', 'EXPIRED'],
};

async function place(name: string, at: string, status: OrderStatus, productId = 'XJP-P-0001'): Promise<void> {
  const em = () => running.engine.db.orm.em.fork();
  const base = orderInput();
  const order = await createOrder(em(), running.engine.pii, {
    ...base,
    memberId: OWNER,
    at: new Date(at),
    product: { ...base.product, productId },
  });
  for (const to of PATH[status] ?? []) {
    await transitionOrder(em(), {
      orderNo: order.orderNo,
      to,
      cause: 'TEST',
      actor: 'SYSTEM',
      at: new Date(at),
      changes: {},
    });
  }
  placed.set(name, order.orderNo);
}

/** The owner's history under `query`, expecting `status`. */
async function history(query: string, status = 200) {
  return request(running.engine.apiUrl)
    .get(`/v1/members/${OWNER}/orders${query}`)
    .set('x-api-key', TEST_API_KEY)
    .set(await asMember(OWNER))
    .expect(status);
}

const names = (body: unknown) =>
  orderHistorySchema.parse(body).items.map((item) => [...placed].find(([, no]) => no === item.orderNo)?.[0]);

beforeAll(async () => {
  // Oldest first; times in UTC (Shanghai is UTC+8, so 17:00Z is already the next day there).
  await place('a', '2026-11-01T02:00:00Z', 'COMPLETED');
  await place('b', '2026-11-02T02:00:00Z', 'EXPIRED', 'XJP-P-0002');
  await place('c', '2026-11-02T17:00:00Z', 'ACCRUING');
  await place('d', '2026-11-04T02:00:00Z', 'SUBSCRIBED', 'XJP-P-0002');
  await place('e', '2026-11-05T02:00:00Z', 'CREATED');
});

it('lists every order of the member, held and ended, newest first, with its status group', async () => {
  const answer = await history('');
  const page = orderHistorySchema.parse(answer.body);
  expect(names(answer.body)).toEqual(['e', 'd', 'c', 'b', 'a']);
  expect(page.items.map((item) => item.statusGroup)).toEqual(['PENDING', 'PENDING', 'HELD', 'ENDED', 'ENDED']);
  expect(page).toMatchObject({ memberId: OWNER, size: 20, nextCursor: null });
});

it('pages with the cursor: each order once, in order, and no cursor after the last page', async () => {
  const first = orderHistorySchema.parse((await history('?size=2')).body);
  const second = orderHistorySchema.parse((await history(`?size=2&cursor=${first.nextCursor}`)).body);
  const third = orderHistorySchema.parse((await history(`?size=2&cursor=${second.nextCursor}`)).body);
  expect([first, second, third].map((page) => names(page))).toEqual([['e', 'd'], ['c', 'b'], ['a']]);
  expect(third.nextCursor).toBeNull();
});

it('filters by status group, product and order date in Shanghai (both ends inclusive), together', async () => {
  expect(names((await history('?status=ENDED')).body)).toEqual(['b', 'a']);
  expect(names((await history('?status=HELD')).body)).toEqual(['c']);
  expect(names((await history('?productId=XJP-P-0002')).body)).toEqual(['d', 'b']);
  // c was placed at 01:00 on 2026-11-03 in Shanghai, though 2026-11-02 in UTC.
  expect(names((await history('?from=2026-11-03&to=2026-11-04')).body)).toEqual(['d', 'c']);
  expect(names((await history('?status=PENDING&productId=XJP-P-0002&to=2026-11-04')).body)).toEqual(['d']);
});

it.each([
  ['?size=51', 'query.size'],
  ['?size=0', 'query.size'],
  ['?status=OPEN', 'query.status'],
  ['?from=2026-02-30', 'query.from'],
  ['?from=2026-11-05&to=2026-11-01', 'query.from'],
  ['?productId=P%20001', 'query.productId'],
  ['?cursor=bm90LWEtY3Vyc29y', 'query.cursor'],
  ['?page=2', 'query'],
])('%s answers 400 naming %s', async (query, field) => {
  const answer = await history(query, 400);
  expect(answer.body.error.code).toBe('VALIDATION_FAILED');
  expect(answer.body.error.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
});

it('another member’s history answers 404, as if the member did not exist; without a member token 401', async () => {
  const foreign = await request(running.engine.apiUrl)
    .get(`/v1/members/${OWNER}/orders`)
    .set('x-api-key', TEST_API_KEY)
    .set(await asMember(STRANGER));
  expect(foreign.status).toBe(404);
  await request(running.engine.apiUrl).get(`/v1/members/${OWNER}/orders`).set('x-api-key', TEST_API_KEY).expect(401);
});

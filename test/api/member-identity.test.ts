/**
 * The member token on every member-scoped route, over real HTTP on the whole engine: the API key
 * alone acts for nobody, one member cannot act for another, a mutation token works once (on any
 * API process: the spent ids are in PostgreSQL), and expired, forged or mis-addressed tokens fail.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { createApiApp } from '../../src/api/app';
import type { MemberTokenKey } from '../../src/config/member-token-keys';
import { PurchaseOrderSchema } from '../../src/db/entities/purchase-order';
import { memberTokenHeader, type MemberTokenSigningKey } from '../../tools/dev/member-token';
import { purchaseStateQuery, purchaseWorkflowId } from '../../workflows/purchase/contract';
import { TEST_API_KEY, useTestEngine } from '../../tools/testing/engine';
import { asMember, TEST_MEMBER_TOKEN_AUDIENCE, TEST_MEMBER_TOKEN_KEY } from '../../tools/testing/member-tokens';
import { buy, purchaseBody } from '../../tools/testing/purchases';

const ALICE = 'M50001';
const BOB = 'M50002';

const running = useTestEngine();
const api = () => request(running.engine.apiUrl);

async function orderCount(memberId: string): Promise<number> {
  return running.engine.db.orm.em.fork().count(PurchaseOrderSchema, { memberId });
}

function statusOf(orderNo: string): Promise<string> {
  return running.engine.client.workflow
    .getHandle(purchaseWorkflowId(orderNo))
    .query(purchaseStateQuery)
    .then((state) => state.status);
}

/** Bob's unpaid order, bought with Bob's own token. */
async function bobsOrder(): Promise<string> {
  const created = await buy(running.engine, purchaseBody('XJP-P-0002', 1_000_000, BOB));
  expect(created.status).toBe(201);
  return created.body.orderNo as string;
}

function purchase(headers: Record<string, string>, body: object, idempotencyKey = `idem-${randomUUID()}`) {
  return api()
    .post('/v1/purchases')
    .set('x-api-key', TEST_API_KEY)
    .set('idempotency-key', idempotencyKey)
    .set(headers)
    .send(body);
}

/** Every member-scoped route, as (method, path) for Bob's order and Bob's member id. */
function memberRoutes(orderNo: string): Array<['get' | 'post', string]> {
  return [
    ['get', `/v1/purchases/${orderNo}`],
    ['get', `/v1/purchases/${orderNo}/contract`],
    ['post', `/v1/purchases/${orderNo}/cancel`],
    ['post', `/v1/purchases/${orderNo}/withdraw`],
    ['get', `/v1/members/${BOB}/holdings`],
    ['get', `/v1/members/${BOB}/orders`],
    ['get', `/v1/members/${BOB}/income?from=2026-01-01&to=2026-01-31`],
  ];
}

describe('the API key alone acts for no member', () => {
  test('without a member token every member-scoped route answers 401, buying included, and nothing changes', async () => {
    const orderNo = await bobsOrder();
    const before = await orderCount(BOB);
    const bought = await purchase({}, purchaseBody('XJP-P-0002', 1_000_000, BOB));
    expect(bought.status).toBe(401);
    expect(bought.body.error.code).toBe('MEMBER_UNAUTHENTICATED');
    for (const [method, path] of memberRoutes(orderNo)) {
      const response = await api()[method](path).set('x-api-key', TEST_API_KEY);
      expect({ method, path, status: response.status, code: response.body.error?.code }).toEqual({
        method,
        path,
        status: 401,
        code: 'MEMBER_UNAUTHENTICATED',
      });
    }
    expect(await orderCount(BOB)).toBe(before);
    expect(await statusOf(orderNo)).toBe('SUBSCRIBED');
  });

  test('a member token without the API key is refused: the platform still identifies itself', async () => {
    const orderNo = await bobsOrder();
    const response = await api()
      .get(`/v1/purchases/${orderNo}`)
      .set(await asMember(BOB));
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('one member cannot act for another', () => {
  test("Alice cannot buy in Bob's name: 404, and no order is made for either", async () => {
    const [aliceBefore, bobBefore] = [await orderCount(ALICE), await orderCount(BOB)];
    const response = await purchase(await asMember(ALICE), purchaseBody('XJP-P-0002', 1_000_000, BOB));
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('MEMBER_NOT_FOUND');
    expect([await orderCount(ALICE), await orderCount(BOB)]).toEqual([aliceBefore, bobBefore]);
  });

  test("Alice cannot read, cancel or withdraw Bob's order, nor see his holdings or income: 404 on every route, the order unchanged", async () => {
    const orderNo = await bobsOrder();
    for (const [method, path] of memberRoutes(orderNo)) {
      const agent = api();
      const response = await agent[method](path)
        .set('x-api-key', TEST_API_KEY)
        .set(await asMember(ALICE));
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
      expect(response.text).not.toContain('张三');
    }
    expect(await statusOf(orderNo)).toBe('SUBSCRIBED');
    // Bob himself can.
    expect(
      (
        await api()
          .get(`/v1/purchases/${orderNo}`)
          .set('x-api-key', TEST_API_KEY)
          .set(await asMember(BOB))
      ).status,
    ).toBe(200);
  });

  test("idempotency keys are per member: Alice's key of the same text as Bob's makes her own order and never answers with his", async () => {
    const key = `shared-${randomUUID()}`;
    const bob = await purchase(await asMember(BOB), purchaseBody('XJP-P-0002', 1_000_000, BOB), key);
    const alice = await purchase(await asMember(ALICE), purchaseBody('XJP-P-0002', 1_000_000, ALICE), key);
    expect([bob.status, alice.status]).toEqual([201, 201]);
    expect(alice.body.orderNo).not.toBe(bob.body.orderNo);
    expect(JSON.stringify(alice.body)).not.toContain(bob.body.orderNo as string);
  });
});

describe('a mutation token works once', () => {
  test('a replayed purchase token is refused 401, on this API process and on another over the same database, and orders nothing', async () => {
    const token = await asMember(ALICE);
    expect((await purchase(token, purchaseBody('XJP-P-0002', 1_000_000, ALICE))).status).toBe(201);
    const before = await orderCount(ALICE);

    const replayed = await purchase(token, purchaseBody('XJP-P-0002', 1_000_000, ALICE));
    expect(replayed.status).toBe(401);
    expect(replayed.body.error.message).toMatch(/already used/);
    const otherProcess = createApiApp(running.engine.apiDependencies);
    const elsewhere = await request(otherProcess)
      .post('/v1/purchases')
      .set('x-api-key', TEST_API_KEY)
      .set('idempotency-key', `idem-${randomUUID()}`)
      .set(token)
      .send(purchaseBody('XJP-P-0002', 1_000_000, ALICE));
    expect(elsewhere.status).toBe(401);
    expect(await orderCount(ALICE)).toBe(before);
  });

  test('a replayed cancel token is refused 401, and a read token may be used again until it expires', async () => {
    const orderNo = await bobsOrder();
    const read = await asMember(BOB);
    for (let i = 0; i < 2; i += 1)
      expect((await api().get(`/v1/purchases/${orderNo}`).set('x-api-key', TEST_API_KEY).set(read)).status).toBe(200);

    const cancel = await asMember(BOB);
    expect(
      (await api().post(`/v1/purchases/${orderNo}/withdraw`).set('x-api-key', TEST_API_KEY).set(cancel)).status,
    ).toBe(409);
    const replayed = await api().post(`/v1/purchases/${orderNo}/cancel`).set('x-api-key', TEST_API_KEY).set(cancel);
    expect(replayed.status).toBe(401);
    expect(await statusOf(orderNo)).toBe('SUBSCRIBED');
  });

  test('a mutation token without a jti is refused 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: TEST_MEMBER_TOKEN_KEY.kid })
      .setSubject(ALICE)
      .setAudience(TEST_MEMBER_TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(Buffer.from(TEST_MEMBER_TOKEN_KEY.k, 'base64url'));
    const response = await purchase({ authorization: `Bearer ${token}` }, purchaseBody('XJP-P-0002', 1_000_000, ALICE));
    expect(response.status).toBe(401);
    expect(response.body.error.message).toMatch(/jti/);
  });
});

describe('tokens that are not good', () => {
  const holdings = (headers: Record<string, string>) =>
    api().get(`/v1/members/${ALICE}/holdings`).set('x-api-key', TEST_API_KEY).set(headers);

  test('a fresh token is accepted (the baseline the refusals below differ from)', async () => {
    expect((await holdings(await asMember(ALICE))).status).toBe(200);
  });

  test.each([
    ['expired', () => asMember(ALICE, { now: new Date(Date.now() - 10 * 60_000) })],
    ['living longer than 5 minutes', () => asMember(ALICE, { ttlSeconds: 3600 })],
    ['issued in the future', () => asMember(ALICE, { now: new Date(Date.now() + 10 * 60_000) })],
    ['for another audience', () => asMember(ALICE, { audience: 'another-service' })],
    [
      'signed with another secret under the same kid',
      () =>
        memberTokenHeader({ ...TEST_MEMBER_TOKEN_KEY, k: Buffer.alloc(32, 9).toString('base64url') }, ALICE, {
          audience: TEST_MEMBER_TOKEN_AUDIENCE,
        }),
    ],
    [
      'of an unknown kid',
      () =>
        memberTokenHeader({ ...TEST_MEMBER_TOKEN_KEY, kid: 'not-configured' }, ALICE, {
          audience: TEST_MEMBER_TOKEN_AUDIENCE,
        }),
    ],
    [
      'unsigned (alg none)',
      async () => {
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const now = Math.floor(Date.now() / 1000);
        return {
          authorization: `Bearer ${part({ alg: 'none', kid: TEST_MEMBER_TOKEN_KEY.kid })}.${part({ sub: ALICE, aud: TEST_MEMBER_TOKEN_AUDIENCE, iat: now, exp: now + 60 })}.`,
        };
      },
    ],
    ['not a bearer token', async () => ({ authorization: `Basic ${Buffer.from(`${ALICE}:x`).toString('base64')}` })],
  ])('a token %s answers 401 MEMBER_UNAUTHENTICATED', async (_label, header) => {
    const response = await holdings(await header());
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('MEMBER_UNAUTHENTICATED');
  });
});

describe('production keys: RS256/ES256 public keys, rotated by kid', () => {
  async function es256(kid: string): Promise<{ signing: MemberTokenSigningKey; verifying: MemberTokenKey }> {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const pub = await exportJWK(publicKey);
    return {
      signing: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
      verifying: { kty: 'EC', crv: 'P-256', x: pub.x ?? '', y: pub.y ?? '', kid, alg: 'ES256' },
    };
  }

  test('while both kids are configured tokens of either pass; once the old one is dropped its tokens are refused', async () => {
    const [old, current] = [await es256('2026-11'), await es256('2026-12')];
    const appWith = (keys: MemberTokenKey[]) =>
      createApiApp({ ...running.engine.apiDependencies, memberTokenKeys: keys });
    const holdingsOn = async (app: ReturnType<typeof createApiApp>, key: MemberTokenSigningKey) =>
      (
        await request(app)
          .get(`/v1/members/${ALICE}/holdings`)
          .set('x-api-key', TEST_API_KEY)
          .set(await memberTokenHeader(key, ALICE, { audience: TEST_MEMBER_TOKEN_AUDIENCE }))
      ).status;

    const rotating = appWith([old.verifying, current.verifying]);
    expect([await holdingsOn(rotating, old.signing), await holdingsOn(rotating, current.signing)]).toEqual([200, 200]);
    const rotated = appWith([current.verifying]);
    expect([await holdingsOn(rotated, old.signing), await holdingsOn(rotated, current.signing)]).toEqual([401, 200]);
    // An HS256 token under an ES256 kid (the public key used as an HMAC secret) is refused.
    const confused = await request(rotated)
      .get(`/v1/members/${ALICE}/holdings`)
      .set('x-api-key', TEST_API_KEY)
      .set(
        await memberTokenHeader({ ...TEST_MEMBER_TOKEN_KEY, kid: '2026-12' }, ALICE, {
          audience: TEST_MEMBER_TOKEN_AUDIENCE,
        }),
      );
    expect(confused.status).toBe(401);
  });
});

test('the OpenAPI document declares the security of every route: API key alone for the catalogue, API key and member token for everything member-scoped', async () => {
  const doc = (await api().get('/v1/openapi.json').set('x-api-key', TEST_API_KEY).expect(200)).body as {
    paths: Record<string, Record<string, { security?: unknown }>>;
    components: { securitySchemes: Record<string, { type: string; scheme?: string; bearerFormat?: string }> };
  };
  expect(doc.components.securitySchemes.MemberToken).toMatchObject({
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  expect(doc.components.securitySchemes.ApiKey).toMatchObject({ type: 'apiKey' });
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const catalogue = path.startsWith('/v1/products') || path === '/v1/openapi.json';
      expect({ path, method, security: operation.security }).toEqual({
        path,
        method,
        security: catalogue ? [{ ApiKey: [] }] : [{ ApiKey: [], MemberToken: [] }],
      });
    }
  }
});

import { generateRsaKeyPair, withSignature } from '../../src/partners/signing';
import { formatShanghaiTimestamp } from '../../tools/sim/common/shanghai-time';
import { admin, adminState, callLianLian, callXjp, nextId, openAccount, post, useWorld } from './harness';

const world = useWorld();
const stranger = generateRsaKeyPair();
const SIX_MINUTES_AGO = (): Date => new Date(Date.now() - 6 * 60 * 1000);

describe('signatures and timestamps', () => {
  it('XJP refuses a request signed with another key: 401 INVALID_SIGNATURE', async () => {
    const answer = await callXjp(world, '/products/home', {}, { signWith: stranger.privateKeyPem });
    expect(answer).toEqual({ status: 401, body: { code: 'INVALID_SIGNATURE' } });
  });

  it('XJP refuses a request whose fields changed after signing', async () => {
    const body = withSignature(
      { partnerId: 'PLATFORM01', timestamp: new Date().toISOString(), productId: 'XJP-P-0001' },
      world.keys.platform.privateKeyPem,
    );
    const answer = await post(`${world.xjpUrl}/api/products/get`, { ...body, productId: 'XJP-P-0002' });
    expect(answer.status).toBe(401);
  });

  it('XJP refuses a timestamp more than five minutes old: 401 STALE_TIMESTAMP', async () => {
    const answer = await callXjp(world, '/products/home', {}, { sentAt: SIX_MINUTES_AGO() });
    expect(answer).toEqual({ status: 401, body: { code: 'STALE_TIMESTAMP' } });
  });

  it('LianLian refuses a bad signature with 1001 and a stale timestamp with 1002', async () => {
    const bad = await callLianLian(world, '/payout/query', { no_order: 'PO-1' }, { signWith: stranger.privateKeyPem });
    const stale = await callLianLian(world, '/payout/query', { no_order: 'PO-1' }, { sentAt: SIX_MINUTES_AGO() });
    expect([bad.body.ret_code, stale.body.ret_code]).toEqual(['1001', '1002']);
  });

  it('LianLian refuses a payment created with the platform key in XJP’s name', async () => {
    const body = withSignature(
      {
        oid_partner: '201811220000002',
        timestamp: formatShanghaiTimestamp(new Date()),
        sign_type: 'RSA',
        no_order: 'X1',
        dt_order: formatShanghaiTimestamp(new Date()),
        money_order: '1.00',
        name_goods: 'x',
        notify_url: 'http://127.0.0.1:9/',
      },
      world.keys.platform.privateKeyPem,
    );
    expect((await post(`${world.lianlianUrl}/gateway/pay/create`, body)).body.ret_code).toBe('1001');
  });

  it('XJP does not acknowledge a payment notification it cannot verify', async () => {
    const forged = withSignature(
      {
        oid_partner: '201811220000002',
        no_order: 'XJP1',
        dt_order: '20260101120000',
        money_order: '1000.00',
        oid_paybill: 'B1',
        result_pay: 'SUCCESS',
        settle_date: '20260101',
        notification_id: 'N1',
        timestamp: formatShanghaiTimestamp(new Date()),
        sign_type: 'RSA',
      },
      stranger.privateKeyPem,
    );
    const answer = await post(`${world.xjpUrl}/callbacks/lianlian/payment`, forged);
    expect(answer.body.ret_code).not.toBe('0000');
  });
});

describe('endpoint faults', () => {
  it('error500 answers 500 without acting, for the next N calls only', async () => {
    await admin(world.xjpUrl, '/faults', { endpoint: '/api/accounts/open', kind: 'error500', count: 1 });
    const memberId = nextId('M');
    const open = () =>
      callXjp(world, '/accounts/open', {
        requestId: nextId('R'),
        channel: 'PC',
        memberId,
        name: '王五',
        mobile: '13700000000',
        idCardNo: '11010519491231002X',
      });
    expect((await open()).status).toBe(500);
    expect((await adminState<{ accounts: unknown[] }>(world.xjpUrl)).accounts).toHaveLength(0);
    expect((await open()).status).toBe(200);
  });

  it('latency delays the answer', async () => {
    await admin(world.lianlianUrl, '/faults', {
      endpoint: '/gateway/payout/query',
      kind: 'latency',
      count: 1,
      latencyMs: 300,
    });
    const started = Date.now();
    await callLianLian(world, '/payout/query', { no_order: 'PO-1' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('timeout processes the call but never answers it, so only an idempotent retry is safe', async () => {
    const accountNo = await openAccount(world);
    await admin(world.xjpUrl, '/faults', { endpoint: '/api/subscriptions', kind: 'timeout', count: 1, latencyMs: 200 });
    const request = {
      requestId: nextId('R'),
      purchaseRecordId: nextId('PR'),
      productId: 'XJP-P-0001',
      accountNo,
      amountFen: 100_000,
    };
    await expect(callXjp(world, '/subscriptions', request)).rejects.toThrow();
    const retried = await callXjp(world, '/subscriptions', request);
    expect(retried.status).toBe(200);
    expect((await adminState<{ subscriptions: unknown[] }>(world.xjpUrl)).subscriptions).toHaveLength(1);
  });

  it('a LianLian outage during subscription refuses it with 502 and leaves no order or lock behind', async () => {
    const accountNo = await openAccount(world);
    await admin(world.lianlianUrl, '/faults', { endpoint: '/gateway/pay/create', kind: 'error500', count: 1 });
    const request = {
      requestId: nextId('R'),
      purchaseRecordId: nextId('PR'),
      productId: 'XJP-P-0001',
      accountNo,
      amountFen: 100_000,
    };
    const refused = await callXjp(world, '/subscriptions', request);
    expect(refused).toMatchObject({ status: 502, body: { code: 'PAYMENT_GATEWAY_ERROR' } });
    expect((await adminState<{ subscriptions: unknown[] }>(world.xjpUrl)).subscriptions).toHaveLength(0);
    expect((await callXjp(world, '/subscriptions', request)).status).toBe(200);
  });

  it('unsigned admin calls are not affected by endpoint faults', async () => {
    await admin(world.lianlianUrl, '/faults', { endpoint: '/admin/state', kind: 'error500', count: 1 });
    const response = await fetch(`${world.lianlianUrl}/admin/state`);
    expect(response.status).toBe(200);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PartnerError } from '../../src/partners/errors';
import { createLianLianClient } from '../../src/partners/lianlian';
import { generateRsaKeyPair } from '../../src/partners/signing';
import { rejection } from './rejection';
import { createXjpClient } from '../../src/partners/xjp';

// The simulators always answer by the contract, so this file alone uses a tiny stand-in server
// that answers each path with a fixed (broken) status and body.
const answers: Record<string, { status: number; body: string }> = {
  '/api/products/get': { status: 200, body: '<html>maintenance</html>' },
  '/api/products/home': {
    status: 200,
    body: JSON.stringify({ code: 'SUCCESS', data: [{ productId: 'P1', annualRate: 0.0425 }] }),
  },
  '/api/products/list': {
    status: 200,
    body: JSON.stringify({ code: 'OK', data: { page: 1, size: 10, total: 0, items: [] } }),
  },
  '/api/payments/query': { status: 422, body: JSON.stringify({ message: 'refused without a code' }) },
  '/api/redemptions': {
    status: 200,
    body: JSON.stringify({
      code: 'SUCCESS',
      data: {
        xjpOrderNo: 'X1',
        redemptionId: 'R1',
        principalFen: 100,
        interestFen: 1,
        totalFen: 102,
        settledAt: '2026-11-23T00:00:00Z',
        status: 'SETTLED',
      },
    }),
  },
  '/gateway/payout/apply': {
    status: 200,
    body: JSON.stringify({ ret_code: '0000', ret_msg: 'ok', result_pay: 'APPLY' }),
  },
  '/gateway/payout/query': {
    status: 200,
    body: JSON.stringify({
      ret_code: '0000',
      no_order: 'po_1',
      oid_paybill: 'B1',
      money_order: '10.005',
      result_pay: 'SUCCESS',
      dt_order: '20261123120000',
    }),
  },
  '/gateway/payout/confirm': { status: 200, body: JSON.stringify({ ret_msg: 'no code at all' }) },
};

let server: Server;
let baseUrl: string;
const { privateKeyPem } = generateRsaKeyPair();

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    const answer = answers[req.url ?? ''] ?? { status: 404, body: '{}' };
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const xjp = () =>
  createXjpClient({ baseUrl, partnerId: 'PLATFORM01', platformPrivateKeyPem: privateKeyPem, timeoutMs: 2_000 });
const lianlian = () =>
  createLianLianClient({
    baseUrl,
    oidPartner: '201811220000001',
    platformPrivateKeyPem: privateKeyPem,
    timeoutMs: 2_000,
  });

async function failure(call: Promise<unknown>): Promise<PartnerError> {
  const error = await rejection(call);
  expect(error).toBeInstanceOf(PartnerError);
  return error as PartnerError;
}

const malformed = { classification: 'FINAL', code: 'MALFORMED_RESPONSE' };

describe('malformed partner answers (stand-in server: the simulators never send malformed data)', () => {
  it('XJP answering 200 with a body that is not JSON is a FINAL MALFORMED_RESPONSE', async () => {
    expect(await failure(xjp().getProduct({ productId: 'P1' }))).toMatchObject({
      ...malformed,
      partner: 'XJP',
      httpStatus: 200,
    });
  });

  it('XJP products missing fields, with a float rate, are MALFORMED_RESPONSE rather than undefined fields', async () => {
    expect(await failure(xjp().listHomeProducts())).toMatchObject(malformed);
  });

  it('an XJP envelope whose code is not SUCCESS on a 200 is MALFORMED_RESPONSE', async () => {
    expect(await failure(xjp().listProducts({ page: 1, size: 10 }))).toMatchObject(malformed);
  });

  it('an XJP 422 refusal without a reason code is MALFORMED_RESPONSE', async () => {
    expect(await failure(xjp().queryPayment({ xjpOrderNo: 'X1' }))).toMatchObject({ ...malformed, httpStatus: 422 });
  });

  it('an XJP redemption whose total is not principal + interest is MALFORMED_RESPONSE', async () => {
    expect(await failure(xjp().redeem({ requestId: 'rq1', xjpOrderNo: 'X1' }))).toMatchObject(malformed);
  });

  it('a LianLian 0000 answer without oid_paybill is MALFORMED_RESPONSE', async () => {
    const apply = lianlian().applyPayout({
      payoutId: 'po_1',
      amountFen: 1000,
      cardNo: '6222020000000000000',
      accountName: '张三',
      bankCode: '01020000',
      info: 'redemption',
      notifyUrl: 'http://127.0.0.1:1/notify',
      orderedAt: new Date(),
    });
    expect(await failure(apply)).toMatchObject({ ...malformed, partner: 'LIANLIAN' });
  });

  it('a LianLian amount with three decimals is MALFORMED_RESPONSE, never rounded', async () => {
    expect(await failure(lianlian().queryPayout({ payoutId: 'po_1' }))).toMatchObject(malformed);
  });

  it('a LianLian answer without ret_code is MALFORMED_RESPONSE', async () => {
    expect(await failure(lianlian().confirmPayout({ payoutId: 'po_1' }))).toMatchObject(malformed);
  });
});

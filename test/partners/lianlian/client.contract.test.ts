import { z } from 'zod';
import { PartnerError } from '../../../src/partners/errors';
import { rejection } from '../rejection';
import {
  LIANLIAN_RET_CODES,
  createLianLianClient,
  type ApplyPayoutInput,
  type LianLianClient,
  type PayoutResult,
  type PayoutStatus,
} from '../../../src/partners/lianlian';
import { OID_PARTNER, admin, adminState, startPartners, type RunningPartners } from '../sim-harness';

// LianLian's payout client against the running simulator over real HTTP: every method's answer,
// every refusal code, idempotency on no_order, and how each injected fault is classified.

const TIMEOUT_MS = 1_000;
const VALID_CARD = '6222020200000000006'; // Luhn-valid
const INVALID_CARD = '6222020200000000007';

let partners: RunningPartners;
let lianlian: LianLianClient;
let sequence = 0;

const stateSchema = z.object({
  payouts: z.array(z.object({ no_order: z.string(), moneyFen: z.number(), dt_order: z.string(), card_no: z.string() })),
});
const payoutsHeld = async (payoutId: string) =>
  stateSchema.parse(await adminState(partners.lianlianUrl)).payouts.filter((p) => p.no_order === payoutId);

function client(overrides: Partial<Parameters<typeof createLianLianClient>[0]> = {}): LianLianClient {
  return createLianLianClient({
    baseUrl: partners.lianlianUrl,
    oidPartner: OID_PARTNER,
    platformPrivateKeyPem: partners.keys.platform.privateKeyPem,
    timeoutMs: TIMEOUT_MS,
    ...overrides,
  });
}

/** A payout with its own id and its own amount, so no two look like duplicates unless a test wants them to. */
function payout(overrides: Partial<ApplyPayoutInput> = {}): ApplyPayoutInput {
  sequence += 1;
  return {
    payoutId: `po_${Date.now()}_${sequence}`,
    amountFen: 1_000_000 + sequence,
    cardNo: VALID_CARD,
    accountName: '张三',
    bankCode: '01020000',
    info: '小金票到期赎回',
    notifyUrl: 'http://127.0.0.1:9/notify/lianlian/payout',
    orderedAt: new Date('2026-11-23T07:50:00.000Z'),
    ...overrides,
  };
}

async function settled(payoutId: string, wanted: readonly PayoutResult[]): Promise<PayoutStatus> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const status = await lianlian.queryPayout({ payoutId });
    if (wanted.includes(status.resultPay)) return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`payout ${payoutId} never reached ${wanted.join('|')}`);
}

async function refusal(call: Promise<unknown>): Promise<PartnerError> {
  const error = await rejection(call);
  expect(error).toBeInstanceOf(PartnerError);
  return error as PartnerError;
}

beforeAll(async () => {
  partners = await startPartners();
  lianlian = client();
});

afterAll(async () => {
  await partners.close();
});

describe('LianLian payouts', () => {
  it('applies a payout, sending fen as exact yuan and the order time on the Shanghai clock', async () => {
    const input = payout({ amountFen: 1_234_567 });
    const applied = await lianlian.applyPayout(input);
    expect(applied.lianlianBillNo).not.toBe('');
    expect(['APPLY', 'WAITING']).toContain(applied.resultPay);
    expect(await payoutsHeld(input.payoutId)).toEqual([
      expect.objectContaining({ moneyFen: 1_234_567, dt_order: '20261123155000' }),
    ]);
  });

  it('queries a payout through to SUCCESS, in fen with the order time as ISO', async () => {
    const input = payout({ amountFen: 1_004_250 });
    const applied = await lianlian.applyPayout(input);
    const status = await settled(input.payoutId, ['SUCCESS']);
    expect(status).toEqual({
      payoutId: input.payoutId,
      lianlianBillNo: applied.lianlianBillNo,
      amountFen: 1_004_250,
      resultPay: 'SUCCESS',
      settleDate: expect.stringMatching(/^\d{8}$/) as unknown,
      orderedAt: '2026-11-23T07:50:00.000Z',
    });
  });

  it('is idempotent on no_order: the same payout applied three times is one payout with one bill', async () => {
    const input = payout();
    const answers = [
      await lianlian.applyPayout(input),
      await lianlian.applyPayout(input),
      await lianlian.applyPayout(input),
    ];
    expect(new Set(answers.map((a) => a.lianlianBillNo)).size).toBe(1);
    expect(await payoutsHeld(input.payoutId)).toHaveLength(1);
  });

  it('refuses the same no_order with a different amount as a FINAL 4002', async () => {
    const input = payout();
    await lianlian.applyPayout(input);
    const call = lianlian.applyPayout({ ...input, amountFen: input.amountFen + 1 });
    expect(await refusal(call)).toMatchObject({
      partner: 'LIANLIAN',
      classification: 'FINAL',
      code: LIANLIAN_RET_CODES.CONFLICTING_PAYOUT,
    });
  });

  it('refuses a card number failing its check digit as a FINAL 4001', async () => {
    expect(await refusal(lianlian.applyPayout(payout({ cardNo: INVALID_CARD })))).toMatchObject({
      classification: 'FINAL',
      code: LIANLIAN_RET_CODES.INVALID_CARD,
    });
  });

  it('refuses a zero amount as a FINAL 1003 (malformed request)', async () => {
    expect(await refusal(lianlian.applyPayout(payout({ amountFen: 0 })))).toMatchObject({
      classification: 'FINAL',
      code: LIANLIAN_RET_CODES.MALFORMED_REQUEST,
    });
  });

  it('refuses a query and a confirmation for an unknown payout as a FINAL 8901', async () => {
    const missing = { payoutId: 'po_never_applied' };
    expect(await refusal(lianlian.queryPayout(missing))).toMatchObject({
      classification: 'FINAL',
      code: LIANLIAN_RET_CODES.PAYOUT_NOT_FOUND,
    });
    expect(await refusal(lianlian.confirmPayout(missing))).toMatchObject({
      classification: 'FINAL',
      code: LIANLIAN_RET_CODES.PAYOUT_NOT_FOUND,
    });
  });

  it('holds a second payout to the same card and amount in CHECK until it is confirmed', async () => {
    const first = payout();
    const second = { ...payout(), amountFen: first.amountFen };
    await lianlian.applyPayout(first);
    expect((await lianlian.applyPayout(second)).resultPay).toBe('CHECK');
    expect((await lianlian.queryPayout(second)).resultPay).toBe('CHECK');
    await lianlian.confirmPayout(second);
    expect((await settled(second.payoutId, ['SUCCESS'])).amountFen).toBe(first.amountFen);
  });

  it('reports a payout the bank fails as FAILURE', async () => {
    await admin(partners.lianlianUrl, '/payout-faults', { kind: 'fail', count: 1 });
    const input = payout();
    await lianlian.applyPayout(input);
    expect((await settled(input.payoutId, ['FAILURE', 'SUCCESS'])).resultPay).toBe('FAILURE');
  });
});

describe('LianLian signatures', () => {
  it('a request signed with the wrong key is a FINAL 1001', async () => {
    const stranger = client({ platformPrivateKeyPem: partners.keys.lianlian.privateKeyPem });
    expect(await refusal(stranger.queryPayout({ payoutId: 'po_any' }))).toMatchObject({
      classification: 'FINAL',
      code: LIANLIAN_RET_CODES.INVALID_SIGNATURE,
    });
  });

  it('a request timestamped ten minutes ago is a FINAL 1002', async () => {
    const lagging = client({ now: () => new Date(Date.now() - 10 * 60_000) });
    expect(await refusal(lagging.queryPayout({ payoutId: 'po_any' }))).toMatchObject({
      classification: 'FINAL',
      code: LIANLIAN_RET_CODES.STALE_TIMESTAMP,
    });
  });
});

describe('LianLian injected faults', () => {
  it('latency beyond the client timeout is a RETRYABLE TIMEOUT, and the next call succeeds', async () => {
    const input = payout();
    await lianlian.applyPayout(input);
    await admin(partners.lianlianUrl, '/faults', {
      endpoint: '/gateway/payout/query',
      kind: 'latency',
      count: 1,
      latencyMs: TIMEOUT_MS * 2,
    });
    expect(await refusal(lianlian.queryPayout(input))).toMatchObject({
      partner: 'LIANLIAN',
      classification: 'RETRYABLE',
      code: 'TIMEOUT',
    });
    expect((await lianlian.queryPayout(input)).payoutId).toBe(input.payoutId);
  });

  it('a 500 is a RETRYABLE HTTP_5XX', async () => {
    await admin(partners.lianlianUrl, '/faults', { endpoint: '/gateway/payout/confirm', kind: 'error500', count: 1 });
    expect(await refusal(lianlian.confirmPayout({ payoutId: 'po_any' }))).toMatchObject({
      classification: 'RETRYABLE',
      code: 'HTTP_5XX',
      httpStatus: 500,
    });
  });

  it('a payout whose answer is lost is a RETRYABLE TIMEOUT, and the retry returns the one payout it made', async () => {
    const input = payout();
    await admin(partners.lianlianUrl, '/faults', {
      endpoint: '/gateway/payout/apply',
      kind: 'timeout',
      count: 1,
      latencyMs: TIMEOUT_MS * 5,
    });
    expect(await refusal(lianlian.applyPayout(input))).toMatchObject({ classification: 'RETRYABLE', code: 'TIMEOUT' });
    const applied = await lianlian.applyPayout(input);
    expect((await lianlian.queryPayout(input)).lianlianBillNo).toBe(applied.lianlianBillNo);
    expect(await payoutsHeld(input.payoutId)).toHaveLength(1);
  });
});

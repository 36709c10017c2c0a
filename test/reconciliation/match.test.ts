import { countFindings } from '../../src/reconciliation/findings';
import { matchRecords, type OurRecord, type PartnerRecord } from '../../src/reconciliation/match';
import {
  expectedXjpPayStatus,
  lianLianStatusAgrees,
  redemptionStatusAgrees,
  xjpStatusAgrees,
} from '../../src/reconciliation/sides';

const ours = (key: string, amountFen: number, status = 'ACCRUING'): OurRecord => ({
  key,
  partnerReference: `X-${key}`,
  amountFen,
  status,
});
const theirs = (key: string, amountsFen: number[], status = 'PAID'): PartnerRecord => ({
  key,
  partnerReference: `X-${key}`,
  amountsFen,
  status,
});

test('records that agree on amount and status are MATCHED, one finding each', () => {
  const findings = matchRecords(
    'XJP',
    [ours('A', 100), ours('B', 200, 'SUBSCRIBED')],
    [theirs('A', [100, 100]), theirs('B', [200], 'UNPAID')],
    xjpStatusAgrees,
  );
  expect(findings.map((f) => [f.kind, f.reference])).toEqual([
    ['MATCHED', 'A'],
    ['MATCHED', 'B'],
  ]);
});

test('a record only we hold is MISSING_AT_PARTNER; only they hold, MISSING_AT_US; amounts in fen on the finding', () => {
  const findings = matchRecords(
    'LIANLIAN',
    [ours('P1', 500, 'SUCCESS')],
    [theirs('P2', [700], 'SUCCESS')],
    lianLianStatusAgrees,
  );
  expect(findings).toEqual([
    expect.objectContaining({
      kind: 'MISSING_AT_PARTNER',
      reference: 'P1',
      ourAmountFen: 500,
      partnerAmountFen: null,
      side: 'LIANLIAN',
    }),
    expect.objectContaining({ kind: 'MISSING_AT_US', reference: 'P2', ourAmountFen: null, partnerAmountFen: 700 }),
  ]);
});

test('a paid amount different from ours is an AMOUNT_MISMATCH carrying the differing partner amount, even when the subscribed amount agrees', () => {
  const [finding] = matchRecords('XJP', [ours('A', 100_000)], [theirs('A', [100_000, 99_999])], xjpStatusAgrees);
  expect(finding).toMatchObject({ kind: 'AMOUNT_MISMATCH', ourAmountFen: 100_000, partnerAmountFen: 99_999 });
});

test('amount and status both wrong give both findings, and no MATCHED', () => {
  const findings = matchRecords('XJP', [ours('A', 100, 'SUBSCRIBED')], [theirs('A', [101], 'PAID')], xjpStatusAgrees);
  expect(findings.map((f) => f.kind)).toEqual(['AMOUNT_MISMATCH', 'STATUS_MISMATCH']);
});

test('copies of one reference, on their side or ours, collapse into one DUPLICATE (no MATCHED beside it)', () => {
  const twiceTheirs = matchRecords(
    'XJP',
    [ours('A', 100)],
    [theirs('A', [100]), theirs('A', [100]), theirs('A', [100])],
    xjpStatusAgrees,
  );
  expect(twiceTheirs.map((f) => f.kind)).toEqual(['DUPLICATE']);
  expect(twiceTheirs[0]?.detail).toContain('partner: 3 record(s)');
  const twiceOurs = matchRecords(
    'LIANLIAN',
    [ours('P', 5, 'SUCCESS'), ours('P', 5, 'SUCCESS')],
    [theirs('P', [5], 'SUCCESS')],
    lianLianStatusAgrees,
  );
  expect(twiceOurs.map((f) => f.kind)).toEqual(['DUPLICATE']);
  expect(twiceOurs[0]?.detail).toContain('ours: 2 record(s)');
});

test('a duplicate that also disagrees reports the disagreement too', () => {
  const findings = matchRecords('XJP', [ours('A', 100)], [theirs('A', [90]), theirs('A', [90])], xjpStatusAgrees);
  expect(findings.map((f) => f.kind)).toEqual(['DUPLICATE', 'AMOUNT_MISMATCH']);
});

test('matching the same books twice gives the same list in the same order, whatever the input order', () => {
  const a = matchRecords('XJP', [ours('B', 1), ours('A', 1)], [theirs('C', [1]), theirs('A', [2])], xjpStatusAgrees);
  const b = matchRecords('XJP', [ours('A', 1), ours('B', 1)], [theirs('A', [2]), theirs('C', [1])], xjpStatusAgrees);
  expect(a).toEqual(b);
  expect(countFindings(a)).toMatchObject({ MISSING_AT_PARTNER: 1, MISSING_AT_US: 1, AMOUNT_MISMATCH: 1, MATCHED: 0 });
});

test('every order status maps to the pay status XJP should report', () => {
  expect(expectedXjpPayStatus('SUBSCRIBED')).toBe('UNPAID');
  expect(
    (['PAID', 'ACCRUING', 'MATURED', 'PAYING_OUT', 'COMPLETED', 'PAYOUT_FAILED'] as const).map(expectedXjpPayStatus),
  ).toEqual(Array(6).fill('PAID'));
  expect((['EXPIRED', 'CANCELLED', 'REJECTED'] as const).map(expectedXjpPayStatus)).toEqual(Array(3).fill('CANCELLED'));
});

describe('dates', () => {
  const dates = (maturityDate: string) => ({ interestStartDate: '2026-11-23', maturityDate });

  test("an order whose maturity date is not XJP's is a DATE_MISMATCH, never MATCHED, even when amounts and status agree", () => {
    const findings = matchRecords(
      'XJP',
      [{ ...ours('A', 100), dates: dates('2026-11-23') }],
      [{ ...theirs('A', [100, 100]), dates: dates('2027-01-02') }],
      xjpStatusAgrees,
    );
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'DATE_MISMATCH',
        category: 'SUBSCRIPTION',
        detail: 'maturityDate ours 2026-11-23, partner 2027-01-02',
      }),
    ]);
  });

  test('an order of ours without dates yet (unpaid) is compared on amount and status only', () => {
    const findings = matchRecords(
      'XJP',
      [ours('A', 100, 'SUBSCRIBED')],
      [{ ...theirs('A', [100], 'UNPAID'), dates: dates('2027-01-02') }],
      xjpStatusAgrees,
    );
    expect(findings.map((f) => f.kind)).toEqual(['MATCHED']);
  });
});

test("redemption settlements are matched in their own category: XJP's total against what we pay out", () => {
  const findings = matchRecords(
    'XJP',
    [ours('A', 1_002_671, 'SETTLED'), ours('B', 500_000, 'REQUESTED')],
    [theirs('A', [1_002_672], 'SETTLED'), theirs('C', [300_000], 'SETTLED')],
    redemptionStatusAgrees,
    'REDEMPTION',
  );
  expect(findings.map((f) => [f.category, f.kind, f.reference])).toEqual([
    ['REDEMPTION', 'MISSING_AT_PARTNER', 'B'],
    ['REDEMPTION', 'MISSING_AT_US', 'C'],
    ['REDEMPTION', 'AMOUNT_MISMATCH', 'A'],
  ]);
});

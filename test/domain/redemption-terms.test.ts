/** The early-redemption and service-fee arithmetic, on the worked examples of docs/domain.md. */
import { addDays } from '../../src/domain/calendar';
import {
  earlyRedemptionFigures,
  earlyRedemptionRefusal,
  type EarlyRedemptionTerms,
  serviceFeeFen,
} from '../../src/domain/redemption-terms';
import { parseAnnualRate } from '../../src/domain/rate';

const START = '2026-12-09';
const penaltyRate: EarlyRedemptionTerms = {
  allowed: true,
  lockInDays: 7,
  penalty: { kind: 'PENALTY_RATE', annualRate: '0.0035' },
};
const principalFee: EarlyRedemptionTerms = { allowed: true, lockInDays: 0, penalty: { kind: 'PRINCIPAL_FEE', bp: 50 } };

/** 10 000 yuan at 3.80 %, basis 365, 90 days. */
const ninetyDays = {
  principalFen: 1_000_000,
  annualRate: parseAnnualRate('0.0380'),
  basis: 365 as const,
  interestStartDate: START,
  maturityDate: addDays(START, 90),
};
/** 10 000 yuan at 4.20 %, basis 360, 180 days. */
const halfYear = {
  principalFen: 1_000_000,
  annualRate: parseAnnualRate('0.0420'),
  basis: 360 as const,
  interestStartDate: START,
  maturityDate: addDays(START, 180),
};

test('penalty rate, 45 days held: 4 685 fen earned, 432 kept at 0.35 %, a 43-fen service fee (10 % of 432), 1 000 389 paid out', () => {
  const figures = earlyRedemptionFigures(
    ninetyDays,
    { earlyRedemption: penaltyRate, serviceFee: { kind: 'INTEREST_BP', bp: 1_000 } },
    addDays(START, 45),
  );
  expect(figures).toEqual({
    redemptionDate: addDays(START, 45),
    daysHeld: 45,
    principalFen: 1_000_000,
    earnedInterestFen: 4_685,
    interestKeptFen: 432,
    penaltyFen: 4_253,
    principalFeeFen: 0,
    serviceFeeFen: 43,
    payoutFen: 1_000_389,
  });
});

test('fee on principal, 60 days held: the 7 000 fen earned are kept, 5 000 fen (50 bp) and a fixed 500-fen fee are taken: 1 001 500 paid out', () => {
  const figures = earlyRedemptionFigures(
    halfYear,
    { earlyRedemption: principalFee, serviceFee: { kind: 'FIXED', fen: 500 } },
    addDays(START, 60),
  );
  expect(figures).toMatchObject({ daysHeld: 60, interestKeptFen: 7_000, penaltyFen: 5_000, principalFeeFen: 5_000 });
  expect(figures).toMatchObject({ serviceFeeFen: 500, payoutFen: 1_001_500 });
});

test('on the interest start date nothing is earned: the fixed service fee is capped at the interest (0), principal less the fee on it is paid', () => {
  const figures = earlyRedemptionFigures(
    halfYear,
    { earlyRedemption: principalFee, serviceFee: { kind: 'FIXED', fen: 500 } },
    START,
  );
  expect(figures).toMatchObject({ daysHeld: 0, interestKeptFen: 0, serviceFeeFen: 0, payoutFen: 995_000 });
});

test('a penalty rate above the order’s own never raises the interest kept above what the days earned', () => {
  const generous: EarlyRedemptionTerms = { ...penaltyRate, penalty: { kind: 'PENALTY_RATE', annualRate: '0.10' } };
  expect(earlyRedemptionFigures(ninetyDays, { earlyRedemption: generous }, addDays(START, 30))).toMatchObject({
    earnedInterestFen: 3_123,
    interestKeptFen: 3_123,
    penaltyFen: 0,
  });
});

test('the service fee: basis points of the interest rounded half up, a fixed fee capped at the interest, none when the product states none', () => {
  expect(serviceFeeFen({ kind: 'INTEREST_BP', bp: 1_000 }, 9_370)).toBe(937);
  expect(serviceFeeFen({ kind: 'INTEREST_BP', bp: 1_000 }, 45)).toBe(5);
  expect(serviceFeeFen({ kind: 'FIXED', fen: 500 }, 9_370)).toBe(500);
  expect(serviceFeeFen({ kind: 'FIXED', fen: 500 }, 120)).toBe(120);
  expect(serviceFeeFen(undefined, 9_370)).toBe(0);
});

test('refusals: not offered, inside the lock-in (day 7 of a 7-day lock-in), at maturity; open from the lock-in’s end to the day before maturity', () => {
  const dates = { interestStartDate: START, maturityDate: addDays(START, 90) };
  expect(earlyRedemptionRefusal(undefined, dates, addDays(START, 10))).toBe('EARLY_REDEMPTION_NOT_ALLOWED');
  expect(earlyRedemptionRefusal({ ...penaltyRate, allowed: false }, dates, addDays(START, 10))).toBe(
    'EARLY_REDEMPTION_NOT_ALLOWED',
  );
  expect(earlyRedemptionRefusal(penaltyRate, dates, addDays(START, 6))).toBe('IN_LOCK_IN');
  expect(earlyRedemptionRefusal(penaltyRate, dates, addDays(START, 7))).toBeUndefined();
  expect(earlyRedemptionRefusal(penaltyRate, dates, addDays(START, 89))).toBeUndefined();
  expect(earlyRedemptionRefusal(penaltyRate, dates, addDays(START, 90))).toBe('WRONG_STATE');
  expect(earlyRedemptionRefusal(principalFee, dates, addDays(START, -1))).toBe('IN_LOCK_IN');
});

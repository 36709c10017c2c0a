import type { EarlyRedemptionTerms, ServiceFeeTerms } from '../../../src/domain/redemption-terms';

/** A product as the XJP simulator holds it; `raisedFen` is derived from orders on top of `seedRaisedFen`. */
export interface SimProduct {
  productId: string;
  productCode: string;
  name: string;
  annualRate: string;
  term: number;
  termUnit: 'DAY' | 'MONTH';
  minAmountFen: number;
  stepAmountFen: number;
  raiseTargetFen: number;
  /** Raised before the simulator started (other investors). */
  seedRaisedFen: number;
  acceptingBank: string;
  dayCountBasis: 360 | 365;
  interestStartRule: 'T+1';
  payoutMode: 'AUTO' | 'ON_WITHDRAWAL';
  /** The per-member purchase limit XJP states, if any (admin knob `member-limit`). */
  memberLimitFen?: number;
  /** Early redemption (违约赎回): offered or not, after a lock-in, at a penalty rate or a fee on principal. */
  earlyRedemption?: EarlyRedemptionTerms;
  /** The service fee (服务费) on every redemption, in basis points of interest or fixed fen. */
  serviceFee?: ServiceFeeTerms;
  ended: boolean;
  listed: boolean;
  onHome: boolean;
  /** Admin knob: fen added to the maturity interest XJP reports, to exercise the engine's mismatch check. */
  interestSkewFen: number;
  /** Admin knob: days added to the maturity date XJP quotes (its interest follows its dates), to exercise the engine's date check. */
  maturityShiftDays: number;
}

const YUAN = 100;
const WAN_YUAN = 10_000 * YUAN;

const base = {
  interestStartRule: 'T+1',
  minAmountFen: 1_000 * YUAN,
  stepAmountFen: 1_000 * YUAN,
  dayCountBasis: 365,
  payoutMode: 'AUTO',
  ended: false,
  listed: true,
  onHome: false,
  interestSkewFen: 0,
  maturityShiftDays: 0,
  seedRaisedFen: 0,
} as const;

/** The seeded catalogue: a fresh copy for every start and every `/admin/reset`. */
export function seedCatalogue(): SimProduct[] {
  return [
    {
      ...base,
      productId: 'XJP-P-0001',
      productCode: 'XJP30D2611',
      name: '小金票·月享 30天',
      annualRate: '0.0325',
      term: 30,
      termUnit: 'DAY',
      raiseTargetFen: 500 * WAN_YUAN,
      seedRaisedFen: 120 * WAN_YUAN,
      acceptingBank: '招商银行',
      onHome: true,
      earlyRedemption: { allowed: false, lockInDays: 0, penalty: { kind: 'PRINCIPAL_FEE', bp: 0 } },
    },
    {
      ...base,
      productId: 'XJP-P-0002',
      productCode: 'XJP90D2611',
      name: '小金票·季享 90天',
      annualRate: '0.0380',
      term: 90,
      termUnit: 'DAY',
      stepAmountFen: 10 * YUAN,
      raiseTargetFen: 1_000 * WAN_YUAN,
      seedRaisedFen: 350 * WAN_YUAN,
      acceptingBank: '中国工商银行',
      onHome: true,
      // After a week, the days held earn a demand-deposit rate; one tenth of the interest is the platform's fee.
      earlyRedemption: { allowed: true, lockInDays: 7, penalty: { kind: 'PENALTY_RATE', annualRate: '0.0035' } },
      serviceFee: { kind: 'INTEREST_BP', bp: 1_000 },
    },
    {
      ...base,
      productId: 'XJP-P-0003',
      productCode: 'XJP180D2611',
      name: '小金票·半年享 180天',
      annualRate: '0.0420',
      term: 180,
      termUnit: 'DAY',
      raiseTargetFen: 800 * WAN_YUAN,
      dayCountBasis: 360,
      acceptingBank: '中国建设银行',
      onHome: true,
      // Any day from the interest start, for 0.5 % of principal; a fixed 5-yuan fee per redemption.
      earlyRedemption: { allowed: true, lockInDays: 0, penalty: { kind: 'PRINCIPAL_FEE', bp: 50 } },
      serviceFee: { kind: 'FIXED', fen: 5 * YUAN },
    },
    {
      ...base,
      productId: 'XJP-P-0004',
      productCode: 'XJP365D2611',
      name: '小金票·年享 365天',
      annualRate: '0.0480',
      term: 365,
      termUnit: 'DAY',
      raiseTargetFen: 2_000 * WAN_YUAN,
      seedRaisedFen: 600 * WAN_YUAN,
      acceptingBank: '兴业银行',
      payoutMode: 'ON_WITHDRAWAL',
    },
    {
      ...base,
      productId: 'XJP-P-0005',
      productCode: 'XJP6M2611',
      name: '小金票·六个月',
      annualRate: '0.0450',
      term: 6,
      termUnit: 'MONTH',
      raiseTargetFen: 600 * WAN_YUAN,
      seedRaisedFen: 50 * WAN_YUAN,
      acceptingBank: '中国银行',
    },
    {
      ...base,
      productId: 'XJP-P-0006',
      productCode: 'XJP90D2610',
      name: '小金票·季享 90天（十月期）',
      annualRate: '0.0395',
      term: 90,
      termUnit: 'DAY',
      raiseTargetFen: 300 * WAN_YUAN,
      seedRaisedFen: 300 * WAN_YUAN,
      acceptingBank: '中国工商银行',
    },
    {
      ...base,
      productId: 'XJP-P-0007',
      productCode: 'XJP30D2609',
      name: '小金票·月享 30天（九月期）',
      annualRate: '0.0335',
      term: 30,
      termUnit: 'DAY',
      raiseTargetFen: 200 * WAN_YUAN,
      seedRaisedFen: 180 * WAN_YUAN,
      acceptingBank: '招商银行',
      ended: true,
    },
  ];
}

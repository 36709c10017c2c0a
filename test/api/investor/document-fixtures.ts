/**
 * One investor's documents as seed 000 describes them: ¥10,000.00 for 90 days at 3.80 % from
 * 2026-12-03, and a 30-day order of ¥20,000.00 repaid in December. Shared by the document tests and
 * the screenshot script, so the screenshots show what the tests check.
 */
import type { ContractView, StatementView } from '../../../src/api/investor/schemas';
import { addDays, daysBetween } from '../../../src/domain/calendar';
import { interestForDays } from '../../../src/domain/interest';
import { formatRate, parseAnnualRate } from '../../../src/domain/rate';

export const SAMPLE_CONTRACT: ContractView = {
  contractNo: 'HT-XJP20261202000001',
  orderNo: 'XJP20261202000001',
  xjpOrderNo: 'XJP2026120200000002',
  status: 'ACCRUING',
  contractDate: '2026-12-02',
  parties: { issuer: '小金票（XJP）', distributor: '理财平台', acceptingBank: '中国工商银行' },
  investor: { memberId: 'M30003', name: '张三', idCardNoMasked: '110***********002X', bankCardMasked: '**** 3446' },
  product: {
    productId: 'XJP-P-0002',
    productCode: 'XJP90D2611',
    name: '小金票·季享 90天',
    term: { unit: 'DAY', value: 90 },
    dayCountBasis: 365,
    interestStartRule: 'T+1',
    payoutMode: 'AUTO',
    earlyRedemption: { allowed: true, lockInDays: 7, penalty: { kind: 'PENALTY_RATE', annualRate: '0.0035' } },
    serviceFee: { kind: 'INTEREST_BP', bp: 1000 },
  },
  amountFen: 1_000_000,
  amountInCapitals: '壹万元整',
  annualRate: '0.038',
  annualRatePercent: '3.80%',
  orderedAt: '2026-12-02T06:05:12.000Z',
  paidAt: '2026-12-02T06:07:40.000Z',
  interestStartDate: '2026-12-03',
  maturityDate: '2027-03-03',
  expectedInterestFen: 9370,
  maturityAmountFen: 1_009_370,
  // 10 % of the interest, as XJP-P-0002 states.
  serviceFeeFen: 937,
  maturityPayoutFen: 1_008_433,
  acceptance: { at: '2026-12-02T06:05:12.000Z', channel: 'PC' },
};

interface SampleOrder {
  orderNo: string;
  productName: string;
  principalFen: number;
  rate: string;
  start: string;
  maturity: string;
}

const ORDERS: SampleOrder[] = [
  {
    orderNo: 'XJP20261105000007',
    productName: '小金票·月享 30天',
    principalFen: 2_000_000,
    rate: '0.0325',
    start: '2026-11-06',
    maturity: '2026-12-06',
  },
  {
    orderNo: 'XJP20261202000001',
    productName: '小金票·季享 90天',
    principalFen: 1_000_000,
    rate: '0.038',
    start: '2026-12-03',
    maturity: '2027-03-03',
  },
];

/** Interest posted for accrual day `date` of an order (day d is the d-th day from the interest start). */
function postedOn(order: SampleOrder, date: string): number {
  const d = daysBetween(order.start, date) + 1;
  if (d < 1 || date >= order.maturity) return 0;
  const rate = parseAnnualRate(order.rate);
  return interestForDays(order.principalFen, rate, d, 365) - interestForDays(order.principalFen, rate, d - 1, 365);
}

function sampleStatement(): StatementView {
  const from = '2026-12-01';
  const to = '2026-12-31';
  const income: StatementView['income'] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const amountFen = ORDERS.reduce((sum, o) => sum + postedOn(o, date), 0);
    if (amountFen > 0) income.push({ date, amountFen });
  }
  const sumPosted = (o: SampleOrder, first: string): number => {
    let total = 0;
    for (let date = first; date <= to; date = addDays(date, 1)) total += postedOn(o, date);
    return total;
  };
  const holdings = ORDERS.map((o) => ({
    orderNo: o.orderNo,
    productName: o.productName,
    principalFen: o.principalFen,
    annualRatePercent: formatRate(parseAnnualRate(o.rate)),
    interestStartDate: o.start,
    maturityDate: o.maturity,
    incomeInMonthFen: sumPosted(o, from),
    incomeToMonthEndFen: sumPosted(o, o.start),
  }));
  const repaid = ORDERS[0]!;
  const repaidInterest = sumPosted(repaid, repaid.start);
  return {
    memberId: 'M30003',
    investorName: '张三',
    month: '2026-12',
    from,
    to,
    holdings,
    income,
    payouts: [
      {
        orderNo: repaid.orderNo,
        settledOn: '2026-12-07',
        principalFen: repaid.principalFen,
        interestFen: repaidInterest,
        totalFen: repaid.principalFen + repaidInterest,
        status: 'SUCCESS',
        bankCardMasked: '**** 3446',
      },
    ],
    totals: {
      principalHeldFen: holdings.reduce((sum, h) => sum + h.principalFen, 0),
      incomeFen: income.reduce((sum, d) => sum + d.amountFen, 0),
      paidOutFen: repaid.principalFen + repaidInterest,
    },
  };
}

export const SAMPLE_STATEMENT: StatementView = sampleStatement();

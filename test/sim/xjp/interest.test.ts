import { seedCatalogue } from '../../../tools/sim/xjp/catalogue';
import { quoteTerms, simpleInterestFen } from '../../../tools/sim/xjp/interest';

const sixMonth = seedCatalogue().find((p) => p.termUnit === 'MONTH')!;

describe('XJP simulator interest', () => {
  it('rounds half up: 1.49 fen → 1, 1.50 fen → 2', () => {
    expect(simpleInterestFen(149, '0.01', 365, 365)).toBe(1);
    expect(simpleInterestFen(150, '0.01', 365, 365)).toBe(2);
  });

  it('stays exact where floating point would not: ¥10,000,000 at 4.80% for 365 days', () => {
    expect(simpleInterestFen(1_000_000_000, '0.0480', 365, 365)).toBe(48_000_000);
  });

  it('starts interest the Shanghai day after the order, even when UTC is still on the day before', () => {
    const lateEvening = quoteTerms(sixMonth, 100_000, new Date('2026-08-30T15:59:59Z'));
    const justAfterMidnight = quoteTerms(sixMonth, 100_000, new Date('2026-08-30T16:00:00Z'));
    expect(lateEvening.interestStartDate).toBe('2026-08-31');
    expect(justAfterMidnight.interestStartDate).toBe('2026-09-01');
  });

  it('counts a month term in calendar months, clamped to a shorter month’s end (181 days)', () => {
    const terms = quoteTerms(sixMonth, 100_000, new Date('2026-08-30T12:00:00Z'));
    expect(terms).toEqual({
      interestStartDate: '2026-08-31',
      interestEndDate: '2027-02-28',
      maturityInterestFen: 2232,
    });
  });
});

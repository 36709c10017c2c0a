import fc from 'fast-check';
import { agreedInterestForDays } from '../../src/domain/interest';

describe('an agreed maturity interest spread over the accrual days', () => {
  test('worked examples: 10480 fen over 90 days', () => {
    expect(agreedInterestForDays(10480, 0, 90)).toBe(0);
    expect(agreedInterestForDays(10480, 1, 90)).toBe(116); // 116.44… rounds down
    expect(agreedInterestForDays(10480, 45, 90)).toBe(5240);
    expect(agreedInterestForDays(10480, 90, 90)).toBe(10480);
  });

  test('the daily amounts sum exactly to the agreed figure and none is negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.integer({ min: 1, max: 3660 }),
        (agreed, totalDays) => {
          let sum = 0;
          for (let d = 1; d <= totalDays; d++) {
            const amount =
              agreedInterestForDays(agreed, d, totalDays) - agreedInterestForDays(agreed, d - 1, totalDays);
            expect(amount).toBeGreaterThanOrEqual(0);
            sum += amount;
          }
          expect(sum).toBe(agreed);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('refuses a day outside the term and a negative or fractional figure', () => {
    expect(() => agreedInterestForDays(100, 91, 90)).toThrow(expect.objectContaining({ code: 'INVALID_TERM' }));
    expect(() => agreedInterestForDays(-1, 1, 90)).toThrow(expect.objectContaining({ code: 'INVALID_AMOUNT' }));
    expect(() => agreedInterestForDays(1.5, 1, 90)).toThrow(expect.objectContaining({ code: 'INVALID_AMOUNT' }));
  });
});

import { InvalidTermError, type DomainError } from '../../src/domain/errors';
import { maturityDate, parseTerm } from '../../src/domain/term';
import { thrown } from './thrown';

describe('parseTerm', () => {
  it.each([
    [{ unit: 'DAY', value: 1 }],
    [{ unit: 'DAY', value: 3660 }],
    [{ unit: 'MONTH', value: 1 }],
    [{ unit: 'MONTH', value: 120 }],
  ])('accepts %p', (term) => {
    expect(parseTerm(term)).toEqual(term);
  });

  it.each([
    [{ unit: 'DAY', value: 0 }],
    [{ unit: 'DAY', value: 3661 }],
    [{ unit: 'MONTH', value: 121 }],
    [{ unit: 'MONTH', value: 1.5 }],
    [{ unit: 'DAY', value: '90' }],
    [{ unit: 'YEAR', value: 1 }],
    [{ unit: 'day', value: 1 }],
  ])('refuses %p with INVALID_TERM', (term) => {
    const error = thrown(() => parseTerm(term));
    expect(error).toBeInstanceOf(InvalidTermError);
    expect((error as DomainError).code).toBe('INVALID_TERM');
  });
});

describe('maturityDate', () => {
  it.each([
    ['2026-01-05', { unit: 'DAY', value: 90 }, '2026-04-05'],
    ['2026-01-31', { unit: 'MONTH', value: 1 }, '2026-02-28'],
    ['2028-01-31', { unit: 'MONTH', value: 1 }, '2028-02-29'],
    ['2026-01-31', { unit: 'MONTH', value: 3 }, '2026-04-30'],
    ['2026-03-15', { unit: 'MONTH', value: 12 }, '2027-03-15'],
  ] as const)('from %p for %p matures on %p', (start, term, expected) => {
    expect(maturityDate(start, term)).toBe(expected);
  });
});

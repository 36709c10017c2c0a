import { InvalidDateError, InvalidOrderNumberError, type DomainError } from '../../src/domain/errors';
import {
  ORDER_NUMBER_PATTERN,
  formatOrderNumber,
  isOrderNumber,
  parseOrderNumber,
} from '../../src/domain/order-number';
import { thrown } from './thrown';

describe('formatOrderNumber', () => {
  it.each([
    ['2026-11-22', 123, 'XJP20261122000123'],
    ['2026-01-05', 1, 'XJP20260105000001'],
    ['2028-02-29', 999_999, 'XJP20280229999999'],
  ])('%p sequence %p → %p', (date, sequence, expected) => {
    expect(formatOrderNumber(date, sequence)).toBe(expected);
    expect(ORDER_NUMBER_PATTERN.test(expected)).toBe(true);
  });

  it.each([0, 1_000_000, 1.5, -1, NaN])('refuses sequence %p with INVALID_ORDER_NUMBER', (sequence) => {
    const error = thrown(() => formatOrderNumber('2026-11-22', sequence));
    expect(error).toBeInstanceOf(InvalidOrderNumberError);
    expect((error as DomainError).code).toBe('INVALID_ORDER_NUMBER');
  });

  it('refuses an impossible date with INVALID_DATE', () => {
    expect(thrown(() => formatOrderNumber('2026-02-30', 1))).toBeInstanceOf(InvalidDateError);
  });
});

describe('parseOrderNumber', () => {
  it('recovers the date and sequence', () => {
    expect(parseOrderNumber('XJP20261122000123')).toEqual({ date: '2026-11-22', sequence: 123 });
  });

  it('round-trips formatOrderNumber', () => {
    for (const [date, sequence] of [
      ['2026-11-22', 123],
      ['2027-12-31', 999_999],
      ['2026-01-01', 1],
    ] as const) {
      expect(parseOrderNumber(formatOrderNumber(date, sequence))).toEqual({ date, sequence });
    }
  });

  it.each([
    'XJP20261122000000',
    'XJP20260230000001',
    'XJP2026112200012',
    'XJP202611220001234',
    'xjp20261122000123',
    'ABC20261122000123',
    ' XJP20261122000123',
    '',
    20261122000123,
    null,
  ])('refuses %p', (value) => {
    const error = thrown(() => parseOrderNumber(value));
    expect(error).toBeInstanceOf(InvalidOrderNumberError);
    expect((error as DomainError).code).toBe('INVALID_ORDER_NUMBER');
    expect(isOrderNumber(value)).toBe(false);
  });

  it('isOrderNumber accepts a valid number', () => {
    expect(isOrderNumber('XJP20261122000123')).toBe(true);
  });
});

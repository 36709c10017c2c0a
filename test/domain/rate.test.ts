import { DomainError, InvalidRateError } from '../../src/domain/errors';
import { formatRate, parseAnnualRate, rateFromMicros, rateToDecimalString } from '../../src/domain/rate';
import { thrown } from './thrown';

function expectInvalidRate(action: () => unknown): void {
  const error = thrown(action);
  expect(error).toBeInstanceOf(InvalidRateError);
  expect((error as DomainError).code).toBe('INVALID_RATE');
}

describe('parseAnnualRate', () => {
  it.each([
    ['0.0425', 42500],
    ['0.04250', 42500],
    ['0.000001', 1],
    ['0.1', 100000],
    ['1', 1000000],
    ['1.0', 1000000],
    ['1.000000', 1000000],
    ['0.123456', 123456],
  ])('reads %p as %p micros', (text, micros) => {
    expect(parseAnnualRate(text)).toEqual({ micros });
  });

  it.each([
    '0',
    '0.0',
    '0.000000',
    '1.000001',
    '2',
    '0.0000001',
    '0.04251234',
    '-0.01',
    '+0.01',
    '4.25%',
    '.0425',
    '0.',
    '1e-2',
    ' 0.04',
    '',
    'abc',
    '99999999',
  ])('refuses %p', (text) => {
    expectInvalidRate(() => parseAnnualRate(text));
  });

  it.each([0.0425, 42500, null, undefined, { micros: 42500 }])('refuses the non-string %p', (value) => {
    expectInvalidRate(() => parseAnnualRate(value));
  });
});

describe('rateFromMicros', () => {
  it('accepts the bounds of (0, 1]', () => {
    expect(rateFromMicros(1)).toEqual({ micros: 1 });
    expect(rateFromMicros(1_000_000)).toEqual({ micros: 1_000_000 });
  });

  it.each([0, -1, 1_000_001, 1.5, NaN, '42500'])('refuses %p', (micros) => {
    expectInvalidRate(() => rateFromMicros(micros));
  });
});

describe('rateToDecimalString', () => {
  it.each([
    [42500, '0.0425'],
    [1, '0.000001'],
    [100000, '0.1'],
    [1000000, '1'],
    [123456, '0.123456'],
  ])('renders %p micros as %p', (micros, text) => {
    expect(rateToDecimalString({ micros })).toBe(text);
  });

  it('round-trips through parseAnnualRate', () => {
    for (const micros of [1, 9, 10, 42500, 99999, 100000, 999999, 1000000]) {
      expect(parseAnnualRate(rateToDecimalString({ micros }))).toEqual({ micros });
    }
  });
});

describe('formatRate', () => {
  it.each([
    [42500, '4.25%'],
    [42000, '4.20%'],
    [40000, '4.00%'],
    [42512, '4.2512%'],
    [42510, '4.251%'],
    [1, '0.0001%'],
    [1000000, '100.00%'],
  ])('shows %p micros as %p', (micros, text) => {
    expect(formatRate({ micros })).toBe(text);
  });

  it('refuses an out-of-range rate', () => {
    expectInvalidRate(() => formatRate({ micros: 0 }));
  });
});

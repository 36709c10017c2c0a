import { DomainError, InvalidAmountError } from '../../src/domain/errors';
import {
  divideRoundHalfUp,
  fenToYuanString,
  formatFen,
  isFen,
  parseFen,
  parseSignedFen,
  yuanStringToFen,
} from '../../src/domain/money';
import { thrown } from './thrown';

function expectInvalidAmount(action: () => unknown): void {
  const error = thrown(action);
  expect(error).toBeInstanceOf(InvalidAmountError);
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe('INVALID_AMOUNT');
}

describe('parseFen', () => {
  it.each([
    [0, 0],
    [1, 1],
    [123456, 123456],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    ['0', 0],
    ['123456', 123456],
    [String(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER],
    [42n, 42],
  ])('accepts %p as %p fen', (input, expected) => {
    expect(parseFen(input)).toBe(expected);
  });

  it('folds negative zero into zero so it serialises as 0', () => {
    expect(Object.is(parseFen(-0), 0)).toBe(true);
  });

  it.each([
    -1,
    1.5,
    0.1,
    NaN,
    Infinity,
    Number.MAX_SAFE_INTEGER + 1,
    '-1',
    '1.00',
    '1e3',
    ' 12',
    '',
    '007',
    '9007199254740992',
    -1n,
    9007199254740992n,
    null,
    undefined,
    true,
    {},
    [1],
  ])('refuses %p with INVALID_AMOUNT', (input) => {
    expectInvalidAmount(() => parseFen(input));
  });

  it('isFen matches parseFen on numbers', () => {
    expect(isFen(5)).toBe(true);
    expect(isFen(-5)).toBe(false);
    expect(isFen(5.5)).toBe(false);
    expect(isFen('5')).toBe(false);
  });
});

describe('parseSignedFen', () => {
  test('accepts negative amounts as numbers and as PostgreSQL bigint strings, and everything parseFen accepts', () => {
    expect(parseSignedFen(-12)).toBe(-12);
    expect(parseSignedFen('-9007199254740991')).toBe(-9007199254740991);
    expect(parseSignedFen('42')).toBe(42);
  });

  test('refuses fractions, junk and amounts beyond a safe integer', () => {
    for (const bad of [-1.5, '-1.5', '--1', '-', '-9007199254740992', Number.NaN]) {
      expect(thrown(() => parseSignedFen(bad))).toBeInstanceOf(InvalidAmountError);
    }
  });
});

describe('formatFen', () => {
  it.each([
    [0, '¥0.00'],
    [5, '¥0.05'],
    [100, '¥1.00'],
    [123456, '¥1,234.56'],
    [100000000, '¥1,000,000.00'],
    [-123456, '-¥1,234.56'],
    [-5, '-¥0.05'],
    [Number.MAX_SAFE_INTEGER, '¥90,071,992,547,409.91'],
    [-Number.MAX_SAFE_INTEGER, '-¥90,071,992,547,409.91'],
  ])('formats %p fen as %p', (fen, expected) => {
    expect(formatFen(fen)).toBe(expected);
  });

  it('refuses fractional fen', () => {
    expectInvalidAmount(() => formatFen(1.5));
  });
});

describe('fenToYuanString', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [123456, '1234.56'],
    [123450, '1234.50'],
    [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
    [Number.MAX_SAFE_INTEGER - 91, '90071992547409.00'],
  ])('renders %p fen as %p yuan', (fen, expected) => {
    expect(fenToYuanString(fen)).toBe(expected);
  });

  it.each([-1, 0.5, NaN])('refuses %p', (fen) => {
    expectInvalidAmount(() => fenToYuanString(fen));
  });
});

describe('yuanStringToFen', () => {
  it.each([
    ['0', 0],
    ['0.01', 1],
    ['0.1', 10],
    ['1234.5', 123450],
    ['1234.56', 123456],
    ['1234', 123400],
    ['1234.00', 123400],
    ['01.00', 100],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
  ])('reads %p yuan as %p fen', (yuan, expected) => {
    expect(yuanStringToFen(yuan)).toBe(expected);
  });

  it.each([
    '1.234',
    '0.001',
    '-1.00',
    '+1.00',
    '1e2',
    '1.',
    '.5',
    '',
    ' 1.00',
    '1.00 ',
    '1,000.00',
    '¥1.00',
    'NaN',
    '90071992547409.92',
  ])('refuses %p', (yuan) => {
    expectInvalidAmount(() => yuanStringToFen(yuan));
  });

  it('round-trips every fen amount through the yuan string exactly', () => {
    for (const fen of [0, 1, 9, 10, 99, 100, 101, 123456789, Number.MAX_SAFE_INTEGER]) {
      expect(yuanStringToFen(fenToYuanString(fen))).toBe(fen);
    }
  });
});

describe('divideRoundHalfUp', () => {
  it.each([
    [10n, 4n, 3n],
    [9n, 4n, 2n],
    [11n, 4n, 3n],
    [5n, 10n, 1n],
    [4n, 10n, 0n],
    [15n, 10n, 2n],
    [25n, 10n, 3n],
    [0n, 7n, 0n],
    [-10n, 4n, -3n],
    [-9n, 4n, -2n],
    [10n, -4n, -3n],
    [-10n, -4n, 3n],
  ])('%p / %p rounds half away from zero to %p', (numerator, denominator, expected) => {
    expect(divideRoundHalfUp(numerator, denominator)).toBe(expected);
  });

  it('refuses a zero denominator', () => {
    expect(() => divideRoundHalfUp(1n, 0n)).toThrow(RangeError);
  });
});

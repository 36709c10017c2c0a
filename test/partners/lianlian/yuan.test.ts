import fc from 'fast-check';
import { YuanAmountError, fenToYuan, isExactYuan, yuanToFen } from '../../../src/partners/lianlian/yuan';

describe('yuan ↔ fen at the LianLian boundary', () => {
  it.each([
    ['0', 0],
    ['0.01', 1],
    ['0.1', 10],
    ['0.29', 29],
    ['1.10', 110],
    ['123.45', 12345],
    ['10000', 1_000_000],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
  ])('reads %s yuan as exactly %d fen', (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it.each([
    ['0.001', 'a sub-fen amount'],
    ['1.234', 'three decimals'],
    ['1.', 'a bare point'],
    ['.5', 'no whole part'],
    ['-1.00', 'a sign'],
    ['+1', 'a plus sign'],
    ['01.00', 'a leading zero'],
    ['1e2', 'an exponent'],
    [' 1.00', 'whitespace'],
    ['', 'nothing'],
    ['1,000.00', 'a thousands separator'],
    ['90071992547409.92', 'more fen than a safe integer holds'],
  ])('refuses %j (%s)', (yuan) => {
    expect(isExactYuan(yuan)).toBe(false);
    expect(() => yuanToFen(yuan)).toThrow(YuanAmountError);
  });

  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [29, '0.29'],
    [110, '1.10'],
    [12345, '123.45'],
  ])('writes %d fen as %s yuan', (fen, yuan) => {
    expect(fenToYuan(fen)).toBe(yuan);
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('refuses to write %d fen', (fen) => {
    expect(() => fenToYuan(fen)).toThrow(YuanAmountError);
  });

  it('round-trips every safe number of fen exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (fen) => yuanToFen(fenToYuan(fen)) === fen),
    );
  });
});

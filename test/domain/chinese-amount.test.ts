import fc from 'fast-check';
import { fenToChineseCapitals } from '../../src/domain/chinese-amount';
import { DomainError } from '../../src/domain/errors';
import { thrown } from './thrown';

const DIGIT_VALUES = new Map([...'零壹贰叁肆伍陆柒捌玖'].map((c, i) => [c, BigInt(i)]));
const PLACE_VALUES = new Map([
  ['拾', 10n],
  ['佰', 100n],
  ['仟', 1000n],
]);

/** Reads capitals back into fen, independently of the writer: a digit times the unit that follows it. */
function capitalsToFen(text: string): bigint {
  const [yuanText = '', centsText = ''] = text.includes('元') ? text.split('元') : ['', text];
  let total = 0n;
  let section = 0n; // below 万 within the current 亿 part
  let wan = 0n; // the current 亿 part's 万 value
  let pending = 0n;
  for (const c of yuanText) {
    const d = DIGIT_VALUES.get(c);
    if (d !== undefined) {
      pending = d;
    } else if (PLACE_VALUES.has(c)) {
      section += pending * (PLACE_VALUES.get(c) ?? 0n);
      pending = 0n;
    } else if (c === '万') {
      wan = (section + pending) * 10_000n;
      section = 0n;
      pending = 0n;
    } else if (c === '亿') {
      total = (total + wan + section + pending) * 100_000_000n;
      wan = 0n;
      section = 0n;
      pending = 0n;
    } else {
      throw new Error(`unexpected ${c} in ${text}`);
    }
  }
  const yuan = total + wan + section + pending;
  const jiao = /(.)角/.exec(centsText)?.[1];
  const fen = /(.)分/.exec(centsText)?.[1];
  return yuan * 100n + (DIGIT_VALUES.get(jiao ?? '零') ?? 0n) * 10n + (DIGIT_VALUES.get(fen ?? '零') ?? 0n);
}

describe('fenToChineseCapitals', () => {
  // The first six are the worked examples of the People's Bank voucher rules.
  it.each([
    [140902, '壹仟肆佰零玖元零贰分'],
    [32504, '叁佰贰拾伍元零肆分'],
    [600714, '陆仟零柒元壹角肆分'],
    [168032, '壹仟陆佰捌拾元叁角贰分'],
    [10700053, '壹拾万柒仟元伍角叁分'],
    [1600, '壹拾陆元整'],
    [1000000, '壹万元整'],
    [1009370, '壹万零玖拾叁元柒角整'],
    [9370, '玖拾叁元柒角整'],
    [0, '零元整'],
    [5, '伍分'],
    [50, '伍角整'],
    [53, '伍角叁分'],
    [100, '壹元整'],
    [101, '壹元零壹分'],
    [1000, '壹拾元整'],
    [10010000, '壹拾万零壹佰元整'],
    [10000100, '壹拾万零壹元整'],
    [10100000, '壹拾万壹仟元整'],
    [10000000000, '壹亿元整'],
    [10000000100, '壹亿零壹元整'],
    [10001000000, '壹亿零壹万元整'],
    [11000000000, '壹亿壹仟万元整'],
    [100000000000000, '壹万亿元整'],
    [100010000000000, '壹万零壹亿元整'],
    [Number.MAX_SAFE_INTEGER, '玖拾万零柒佰壹拾玖亿玖仟贰佰伍拾肆万柒仟肆佰零玖元玖角壹分'],
  ])('writes %p fen as %p', (fen, capitals) => {
    expect(fenToChineseCapitals(fen)).toBe(capitals);
  });

  it('reads back to the same fen for any non-zero amount, and never writes two zeros in a row or a bare 拾', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        const capitals = fenToChineseCapitals(fen);
        expect(capitalsToFen(capitals)).toBe(BigInt(fen));
        expect(capitals).not.toMatch(/零零|零[元万亿角]|^拾/);
        expect(capitals.endsWith('分') !== capitals.endsWith('整')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([-1, 1.5, NaN, Number.MAX_SAFE_INTEGER + 1])('refuses %p as not a fen amount', (value) => {
    const error = thrown(() => fenToChineseCapitals(value));
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('INVALID_AMOUNT');
  });
});

/**
 * Amounts in Chinese capitals (大写金额), as contracts and bank vouchers write them under the
 * People's Bank rules for filling in vouchers (《正确填写票据和结算凭证的基本规定》): capitals are
 * harder to alter than figures, so the agreement states the amount both ways.
 */
import { describeValue, InvalidAmountError } from './errors';
import { isFen } from './money';

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
// Within a four-digit group: units, tens, hundreds, thousands.
const PLACES = ['', '拾', '佰', '仟'] as const;

function digit(char: string): string {
  return DIGITS[Number(char)] ?? '';
}

/**
 * Whole yuan in capitals (`100100` → `壹拾万零壹佰`). Zeros between digits are written once as 零;
 * a zero at the 万 or 亿 place before a non-zero thousands digit is not written (壹拾万壹仟), which
 * the rules allow either way. 拾 always carries its digit (壹拾), as the rules require.
 */
function yuanInCapitals(yuan: string): string {
  let out = '';
  let zeroPending = false;
  let groupHasDigit = false;
  for (let i = 0; i < yuan.length; i += 1) {
    const place = yuan.length - 1 - i;
    const char = yuan.charAt(i);
    if (char === '0') {
      zeroPending = out !== '';
    } else {
      if (zeroPending) out += '零';
      out += digit(char) + PLACES[place % 4];
      zeroPending = false;
      groupHasDigit = true;
    }
    if (place % 4 !== 0 || place === 0) continue;
    // 亿 ends every higher part that is not zero (壹万亿 has no digit in its own 亿 group); 万 only its own group.
    if (place % 8 === 0) {
      out += '亿';
      zeroPending = false;
    } else if (groupHasDigit) {
      out += '万';
      zeroPending = false;
    }
    groupHasDigit = false;
  }
  return out;
}

/**
 * A fen amount in Chinese capitals, without the 人民币 prefix: `1000000` → `壹万元整`,
 * `140902` → `壹仟肆佰零玖元零贰分`, `50` → `伍角整`, `0` → `零元整`. Exact: works on the digits,
 * never on a float; any safe integer fen is accepted, anything else throws InvalidAmountError.
 */
export function fenToChineseCapitals(fen: number): string {
  if (!isFen(fen)) throw new InvalidAmountError(`not a fen amount: ${describeValue(fen)}`);
  if (fen === 0) return '零元整';
  const cents = fen % 100;
  const yuan = String((fen - cents) / 100);
  const jiao = Math.trunc(cents / 10);
  const fenDigit = cents % 10;
  const whole = yuan === '0' ? '' : `${yuanInCapitals(yuan)}元`;
  if (cents === 0) return `${whole}整`;
  const jiaoPart = jiao === 0 ? (whole === '' ? '' : '零') : `${digit(String(jiao))}角`;
  const fenPart = fenDigit === 0 ? '整' : `${digit(String(fenDigit))}分`;
  return whole + jiaoPart + fenPart;
}

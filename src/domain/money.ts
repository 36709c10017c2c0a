import { InvalidAmountError, describeValue } from './errors';

const FEN_PER_YUAN = 100;
const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);
const FEN_DIGITS = /^(?:0|[1-9]\d*)$/;
// Integer yuan part, then at most two decimals: a third decimal would be a sub-fen amount we cannot hold.
const YUAN_STRING = /^(\d+)(?:\.(\d{1,2}))?$/;

/** True when `value` is a valid fen amount: a non-negative safe integer `number`. */
export function isFen(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Validates a fen amount. Accepts a non-negative safe integer, or the same as a decimal-digit string
 * or bigint (PostgreSQL bigint columns arrive as strings); anything else throws InvalidAmountError.
 */
export function parseFen(value: unknown): number {
  if (isFen(value)) return value === 0 ? 0 : value; // folds -0 into 0 so it serialises and compares plainly
  if (typeof value === 'string' && FEN_DIGITS.test(value)) return bigintToFen(BigInt(value), value);
  if (typeof value === 'bigint' && value >= 0n) return bigintToFen(value, value);
  throw new InvalidAmountError(`not a fen amount: ${describeValue(value)}`);
}

/** A signed fen amount (a ledger correction): a safe integer `number`, or its decimal string as PostgreSQL sends it. */
export function parseSignedFen(value: unknown): number {
  if (typeof value === 'string' && value.startsWith('-')) return -parseFen(value.slice(1));
  if (typeof value === 'number' && Number.isSafeInteger(value) && value < 0) return value;
  return parseFen(value);
}

/** Display form for people: `¥1,234.56`, negatives as `-¥1,234.56`; any safe integer is accepted. */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new InvalidAmountError(`not a fen amount: ${describeValue(fen)}`);
  const sign = fen < 0 ? '-' : '';
  const { yuan, cents } = splitYuan(Math.abs(fen));
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${grouped}.${cents}`;
}

/** Exact yuan decimal string with two decimals (`123456` → `"1234.56"`), as LianLian's `money_order` expects. */
export function fenToYuanString(fen: number): string {
  if (!isFen(fen)) throw new InvalidAmountError(`not a fen amount: ${describeValue(fen)}`);
  const { yuan, cents } = splitYuan(fen);
  return `${yuan}.${cents}`;
}

/** Exact fen from a yuan decimal string (`"1234.5"` → `123450`); refuses signs, exponents, >2 decimals, junk. */
export function yuanStringToFen(value: string): number {
  const match = typeof value === 'string' ? YUAN_STRING.exec(value) : null;
  if (!match) throw new InvalidAmountError(`not a yuan amount with at most two decimals: ${describeValue(value)}`);
  const [, whole = '', fraction = ''] = match;
  const fen = BigInt(whole) * BigInt(FEN_PER_YUAN) + BigInt(fraction.padEnd(2, '0'));
  return bigintToFen(fen, value);
}

/** Integer division rounding half away from zero (decimal.js ROUND_HALF_UP); the one rounding rule for money. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = n / d;
  const rounded = (n % d) * 2n >= d ? quotient + 1n : quotient;
  return negative ? -rounded : rounded;
}

function bigintToFen(fen: bigint, original: unknown): number {
  if (fen > MAX_SAFE_BIGINT)
    throw new InvalidAmountError(`fen amount beyond a safe integer: ${describeValue(original)}`);
  return Number(fen);
}

// Remainder first: `Math.floor(fen / 100)` goes wrong near 2^53, where the float quotient rounds up.
function splitYuan(nonNegativeFen: number): { yuan: number; cents: string } {
  const centsPart = nonNegativeFen % FEN_PER_YUAN;
  return { yuan: (nonNegativeFen - centsPart) / FEN_PER_YUAN, cents: String(centsPart).padStart(2, '0') };
}

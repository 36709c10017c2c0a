/**
 * LianLian carries money as yuan decimal strings ("123.45"); the engine carries integer fen.
 * Converted here with strings and BigInt only: a float would turn "0.29" into 28.999… fen.
 */

/** Plain non-negative yuan with at most two decimals: no sign, exponent, spaces or leading zeros. */
const EXACT_YUAN = /^(0|[1-9]\d*)(?:\.(\d{1,2}))?$/;

const MAX_FEN = BigInt(Number.MAX_SAFE_INTEGER);

/** A yuan amount that cannot be converted exactly to fen, or fen that cannot be written as yuan. */
export class YuanAmountError extends Error {
  override readonly name = 'YuanAmountError';
  readonly code = 'INVALID_YUAN_AMOUNT';
}

function exactFen(text: string): bigint | undefined {
  const match = EXACT_YUAN.exec(text);
  if (match === null) return undefined;
  const [, whole = '0', fraction = ''] = match;
  const fen = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  return fen <= MAX_FEN ? fen : undefined;
}

/** True when `text` is yuan with at most two decimals whose fen fit a safe integer. */
export function isExactYuan(text: string): boolean {
  return exactFen(text) !== undefined;
}

/** "123.45" → 12345. Refuses more than two decimals (a sub-fen amount) and anything not plain decimal. */
export function yuanToFen(text: string): number {
  const fen = exactFen(text);
  if (fen === undefined) throw new YuanAmountError(`not an exact yuan amount: ${JSON.stringify(text)}`);
  return Number(fen);
}

/** 12345 → "123.45"; always two decimals. */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new YuanAmountError(`not a non-negative whole number of fen: ${fen}`);
  const digits = String(fen).padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

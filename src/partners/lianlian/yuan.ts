/**
 * LianLian carries money as yuan decimal strings ("123.45"); the engine carries integer fen.
 * The exact conversion is the domain's (strings and BigInt, never a float); this boundary adds
 * LianLian's stricter wire form and its own error type.
 */
import { fenToYuanString, yuanStringToFen } from '../../domain/money';

/** The wire form: no sign, exponent, spaces or leading zeros. */
const PLAIN_YUAN = /^(0|[1-9]\d*)(?:\.\d{1,2})?$/;

/** A yuan amount that cannot be converted exactly to fen, or fen that cannot be written as yuan. */
export class YuanAmountError extends Error {
  override readonly name = 'YuanAmountError';
  readonly code = 'INVALID_YUAN_AMOUNT';
}

/** "123.45" → 12345. Refuses more than two decimals (a sub-fen amount) and anything not plain decimal. */
export function yuanToFen(text: string): number {
  try {
    if (PLAIN_YUAN.test(text)) return yuanStringToFen(text);
  } catch {
    // Beyond a safe integer: reported below like any other inexact amount.
  }
  throw new YuanAmountError(`not an exact yuan amount: ${JSON.stringify(text)}`);
}

/** True when `text` is yuan with at most two decimals whose fen fit a safe integer. */
export function isExactYuan(text: string): boolean {
  try {
    yuanToFen(text);
    return true;
  } catch {
    return false;
  }
}

/** 12345 → "123.45"; always two decimals. */
export function fenToYuan(fen: number): string {
  try {
    return fenToYuanString(fen);
  } catch {
    throw new YuanAmountError(`not a non-negative whole number of fen: ${fen}`);
  }
}

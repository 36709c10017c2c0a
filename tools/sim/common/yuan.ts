/**
 * LianLian carries money as yuan decimal strings; the simulators hold integer fen. The exact
 * conversion is the domain's (strings and BigInt, never a float).
 */
import { fenToYuanString, yuanStringToFen } from '../../../src/domain/money';

/** "123.45" → 12345, or undefined when the text is not yuan with at most two decimals. */
export function yuanToFen(text: string): number | undefined {
  try {
    return yuanStringToFen(text);
  } catch {
    return undefined;
  }
}

/** 12345 → "123.45"; always two decimals. */
export function fenToYuan(fen: number): string {
  return fenToYuanString(fen);
}

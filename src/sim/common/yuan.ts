/**
 * LianLian carries money as yuan decimal strings; the simulators hold integer fen.
 * Strings and BigInt only: a float would turn "0.29" into 28.999… fen.
 */
const EXACT_YUAN = /^(0|[1-9]\d*)(?:\.(\d{1,2}))?$/;
const MAX_FEN = BigInt(Number.MAX_SAFE_INTEGER);

/** "123.45" → 12345, or undefined when the text is not plain yuan with at most two decimals. */
export function yuanToFen(text: string): number | undefined {
  const match = EXACT_YUAN.exec(text);
  if (match === null) return undefined;
  const [, whole = '0', fraction = ''] = match;
  const fen = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  return fen <= MAX_FEN ? Number(fen) : undefined;
}

/** 12345 → "123.45"; always two decimals. */
export function fenToYuan(fen: number): string {
  const digits = String(fen).padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

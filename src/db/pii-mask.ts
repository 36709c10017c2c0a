// Display masks for personal data. Pure string functions: they keep just enough for the investor or an
// operator to recognise the value, in the forms Chinese retail finance uses.

function stars(count: number): string {
  return '*'.repeat(Math.max(count, 0));
}

/** Keeps the first `head` and last `tail` characters; anything too short to keep both is fully masked. */
function keepEnds(value: string, head: number, tail: number): string {
  const chars = Array.from(value.trim());
  if (chars.length <= head + tail) return stars(chars.length);
  return chars.slice(0, head).join('') + stars(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

/** `110101199003074477` → `110***********4477`: region prefix and last four. */
export function maskIdCard(idCardNo: string): string {
  return keepEnds(idCardNo, 3, 4);
}

/** `13812345678` → `138****5678`. */
export function maskMobile(mobile: string): string {
  return keepEnds(mobile, 3, 4);
}

/** `6222021234567890123` → `**** 0123`: the last four only, as card statements show them. */
export function maskCardNo(cardNo: string): string {
  const digits = cardNo.replace(/\s+/g, '');
  return digits.length <= 4 ? stars(digits.length) : `**** ${digits.slice(-4)}`;
}

/** `张三` → `张*`, `张三丰` → `张*丰`, `欧阳娜娜` → `欧**娜`: the surname stays, the given name hides. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return stars(chars.length);
  if (chars.length === 2) return `${chars[0] ?? ''}*`;
  return keepEnds(name, 1, 1);
}

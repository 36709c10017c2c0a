/** True for a bank card number of 12–19 digits whose Luhn check digit is right. */
export function isValidCardNo(cardNo: string): boolean {
  if (!/^\d{12,19}$/.test(cardNo)) return false;
  let sum = 0;
  for (let i = 0; i < cardNo.length; i += 1) {
    const digit = Number(cardNo[cardNo.length - 1 - i]);
    const doubled = i % 2 === 1 ? digit * 2 : digit;
    sum += doubled > 9 ? doubled - 9 : doubled;
  }
  return sum % 10 === 0;
}

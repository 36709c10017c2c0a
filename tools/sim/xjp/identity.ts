/** GB 11643-1999 weights for the first 17 digits of a resident ID card number. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/** True for an 18-character resident ID number with a real birth date and a correct check character. */
export function isValidIdCardNo(idCardNo: string): boolean {
  if (!/^\d{17}[\dX]$/.test(idCardNo)) return false;
  const birth = idCardNo.slice(6, 14);
  const date = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10).replace(/-/g, '') !== birth) return false;
  const sum = WEIGHTS.reduce((total, weight, i) => total + weight * Number(idCardNo[i]), 0);
  return CHECK_CHARACTERS[sum % 11] === idCardNo[17];
}

/** True for a mainland mobile number. */
export function isValidMobile(mobile: string): boolean {
  return /^1[3-9]\d{9}$/.test(mobile);
}

import { maskCardNo, maskIdCard, maskMobile, maskName } from '../../db/pii-mask';

/** Keys under which a partner body could carry personal data, with the mask each gets. */
const MASKS: Record<string, (value: string) => string> = {
  card_no: maskCardNo,
  cardNo: maskCardNo,
  bankCardNo: maskCardNo,
  id_no: maskIdCard,
  idCardNo: maskIdCard,
  mobile: maskMobile,
  acct_name: maskName,
  name_user: maskName,
  userName: maskName,
};

/** Digit runs that look like an ID card, a mobile or a card number, for bodies that are not JSON. */
const PII_DIGITS = /(?<![\dA-Za-z])(?:\d{17}[\dXx]|1[3-9]\d{9}|\d{15,19})(?![\dA-Za-z])/g;

function maskValue(value: unknown, key?: string): unknown {
  if (typeof value === 'string') {
    const mask = key === undefined ? undefined : MASKS[key];
    return mask === undefined ? value : mask(value);
  }
  if (Array.isArray(value)) return value.map((item) => maskValue(item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(v, k)]));
  }
  return value;
}

/**
 * A partner notification body as an operator may see it: the body is kept verbatim in the inbox, but
 * personal data in it is masked here. JSON is masked by key; anything else by the digit patterns.
 */
export function maskRawBody(rawBody: string): string {
  try {
    return JSON.stringify(maskValue(JSON.parse(rawBody)));
  } catch {
    return rawBody.replace(PII_DIGITS, (digits) => `${digits.slice(0, 3)}***${digits.slice(-2)}`);
  }
}

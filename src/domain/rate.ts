import { InvalidRateError, describeValue } from './errors';

/** Millionths in one whole unit of rate: rates are held exactly as integer micros (0.0425 → 42500). */
export const RATE_MICROS_PER_UNIT = 1_000_000;

/** An annual rate as exact integer millionths, in (0, 1]: a plain object so it survives JSON and Temporal payloads. */
export interface AnnualRate {
  readonly micros: number;
}

// At most six decimals, because that is what micros can hold exactly; no sign, no exponent, no percent.
const RATE_STRING = /^(\d+)(?:\.(\d{1,6}))?$/;

/** Parses a decimal-string annual rate (`"0.0425"`) into micros; refuses >6 decimals, 0, above 1 (100%), junk. */
export function parseAnnualRate(value: unknown): AnnualRate {
  const match = typeof value === 'string' ? RATE_STRING.exec(value) : null;
  if (!match) throw new InvalidRateError(`not a decimal rate with at most six decimals: ${describeValue(value)}`);
  const [, whole = '', fraction = ''] = match;
  if (whole.length > 7) throw new InvalidRateError(`rate out of range (0, 1]: ${describeValue(value)}`);
  return rateFromMicros(Number(whole) * RATE_MICROS_PER_UNIT + Number(fraction.padEnd(6, '0')));
}

/** Validates a rate already held as micros (from the database or a payload): an integer in 1..1,000,000. */
export function rateFromMicros(micros: unknown): AnnualRate {
  if (typeof micros !== 'number' || !Number.isInteger(micros) || micros < 1 || micros > RATE_MICROS_PER_UNIT) {
    throw new InvalidRateError(`rate out of range (0, 1]: ${describeValue(micros)} micros`);
  }
  return { micros };
}

/** The canonical decimal string of a rate, without trailing zeros (`42500` → `"0.0425"`, `1000000` → `"1"`). */
export function rateToDecimalString(rate: AnnualRate): string {
  const { micros } = rateFromMicros(rate.micros);
  const fraction = String(micros % RATE_MICROS_PER_UNIT)
    .padStart(6, '0')
    .replace(/0+$/, '');
  const whole = String(Math.trunc(micros / RATE_MICROS_PER_UNIT));
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/** Display form as a percentage with at least two decimals (`42500` → `"4.25%"`, `1` → `"0.0001%"`). */
export function formatRate(rate: AnnualRate): string {
  const { micros } = rateFromMicros(rate.micros);
  const microsPerPercent = RATE_MICROS_PER_UNIT / 100;
  const fraction = String(micros % microsPerPercent)
    .padStart(4, '0')
    .replace(/0+$/, '')
    .padEnd(2, '0');
  return `${Math.trunc(micros / microsPerPercent)}.${fraction}%`;
}

/** Every stable code a domain refusal can carry; callers map these to wire codes, never class names. */
export const DOMAIN_ERROR_CODES = [
  'INVALID_AMOUNT',
  'INVALID_RATE',
  'INVALID_DATE',
  'INVALID_TERM',
  'INVALID_INTEREST_START_RULE',
  'INVALID_ORDER_NUMBER',
  'ILLEGAL_TRANSITION',
  'INVALID_DEMAND_FIGURE',
] as const;

/** One of {@link DOMAIN_ERROR_CODES}. */
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** Base of every domain refusal; `code` is the stable identity because class names do not survive bundling. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A fen amount that is negative, fractional, non-numeric or beyond a safe integer. */
export class InvalidAmountError extends DomainError {
  constructor(message: string) {
    super('INVALID_AMOUNT', message);
    this.name = 'InvalidAmountError';
  }
}

/** An annual rate that is malformed, too precise or out of range. */
export class InvalidRateError extends DomainError {
  constructor(message: string) {
    super('INVALID_RATE', message);
    this.name = 'InvalidRateError';
  }
}

/** A calendar date or instant that is malformed, impossible or out of range. */
export class InvalidDateError extends DomainError {
  constructor(message: string) {
    super('INVALID_DATE', message);
    this.name = 'InvalidDateError';
  }
}

/** An investment term with an unknown unit or a value out of range. */
export class InvalidTermError extends DomainError {
  constructor(message: string) {
    super('INVALID_TERM', message);
    this.name = 'InvalidTermError';
  }
}

/** An interest start rule that is not `T+N`. */
export class InvalidInterestStartRuleError extends DomainError {
  constructor(message: string) {
    super('INVALID_INTEREST_START_RULE', message);
    this.name = 'InvalidInterestStartRuleError';
  }
}

/** An order number that is not `XJP` + `YYYYMMDD` + six digits, or whose date does not exist. */
export class InvalidOrderNumberError extends DomainError {
  constructor(message: string) {
    super('INVALID_ORDER_NUMBER', message);
    this.name = 'InvalidOrderNumberError';
  }
}

/** A status change the order lifecycle does not allow; carries both ends for the operator. */
export class IllegalTransitionError extends DomainError {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super('ILLEGAL_TRANSITION', `an order cannot move from ${from} to ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

/** Renders an untrusted value for an error message without throwing (bigint and symbols included). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value.toString()}n`;
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

/** A demand product's daily figure (income per 10,000 fen, 7-day yield) that is not a plain decimal in range. */
export class InvalidDemandFigureError extends DomainError {
  constructor(message: string) {
    super('INVALID_DEMAND_FIGURE', message);
    this.name = 'InvalidDemandFigureError';
  }
}

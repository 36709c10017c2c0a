import { UniqueConstraintViolationException } from '@mikro-orm/core';

/** Every stable code a repository refusal carries; callers map these, never class names. */
export const DB_ERROR_CODES = [
  'DUPLICATE_IDEMPOTENCY_KEY',
  'ORDER_NOT_FOUND',
  'ACCRUAL_CONFLICT',
  'USER_ACCOUNT_CONFLICT',
  'PAYOUT_CONFLICT',
  'PAYOUT_NOT_FOUND',
  'SECOND_SUCCESSFUL_PAYOUT',
  'REFUND_CONFLICT',
  'REFUND_NOT_FOUND',
  'SECOND_SUCCESSFUL_REFUND',
  'INVALID_NOTIFICATION',
  'MEMBER_LIMIT_EXCEEDED',
  'REDEMPTION_ENTRY_CONFLICT',
] as const;
export type DbErrorCode = (typeof DB_ERROR_CODES)[number];

/** Base of every repository refusal. */
export class DbError extends Error {
  constructor(
    readonly code: DbErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DbError';
  }
}

/** An order already exists under this idempotency key; `existingOrderNo` is the one to answer with. */
export class DuplicateIdempotencyKeyError extends DbError {
  constructor(
    readonly idempotencyKey: string,
    readonly existingOrderNo: string,
  ) {
    super('DUPLICATE_IDEMPOTENCY_KEY', `an order already exists for this idempotency key: ${existingOrderNo}`);
    this.name = 'DuplicateIdempotencyKeyError';
  }
}

/** The order would take the member past the product's per-member limit; carries the figures for the message. */
export class MemberLimitExceededError extends DbError {
  constructor(
    readonly productId: string,
    readonly limitFen: number,
    readonly heldFen: number,
    readonly amountFen: number,
  ) {
    super(
      'MEMBER_LIMIT_EXCEEDED',
      `product ${productId} allows ${limitFen} fen per member; the member's orders already take ${heldFen} fen, ` +
        `so ${Math.max(limitFen - heldFen, 0)} fen more at most, not ${amountFen}`,
    );
    this.name = 'MemberLimitExceededError';
  }
}

/** No order has this order number. */
export class OrderNotFoundError extends DbError {
  constructor(readonly orderNo: string) {
    super('ORDER_NOT_FOUND', `no order ${orderNo}`);
    this.name = 'OrderNotFoundError';
  }
}

/**
 * True when `error` is PostgreSQL refusing a row because of the named unique constraint. Query
 * builder inserts surface the driver's own error (SQLSTATE 23505) rather than MikroORM's wrapper.
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const raw = error as { code?: unknown; constraint?: unknown } | null;
  const unique =
    error instanceof UniqueConstraintViolationException || (typeof raw === 'object' && raw?.code === '23505');
  return unique && raw?.constraint === constraint;
}

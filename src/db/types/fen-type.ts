import { Type } from '@mikro-orm/core';
import { parseFen, parseSignedFen } from '../../domain/money';

/**
 * A fen amount in a PostgreSQL `bigint` column, as a JS `number`. Both directions go through
 * `parseFen`, so a value beyond Number.MAX_SAFE_INTEGER (or negative) fails loudly instead of
 * being rounded. Null passes through for nullable columns.
 */
export class FenType extends Type<number | null, string | null> {
  override convertToDatabaseValue(value: number | null): string | null {
    return value === null || value === undefined ? null : String(parseFen(value));
  }

  override convertToJSValue(value: string | number | null): number | null {
    return value === null || value === undefined ? null : parseFen(value);
  }

  override compareAsType(): string {
    return 'number';
  }

  override getColumnType(): string {
    return 'bigint';
  }
}

/** A signed fen amount in a `bigint` column (ledger corrections), through `parseSignedFen` both ways. */
export class SignedFenType extends FenType {
  override convertToDatabaseValue(value: number | null): string | null {
    return value === null || value === undefined ? null : String(parseSignedFen(value));
  }

  override convertToJSValue(value: string | number | null): number | null {
    return value === null || value === undefined ? null : parseSignedFen(value);
  }
}

import { Type } from '@mikro-orm/core';
import { parseFen } from '../../domain/money';

/**
 * A fen amount in a PostgreSQL `bigint` column, as a JS `number`. Both directions go through
 * `parseFen`, so a value beyond Number.MAX_SAFE_INTEGER (or negative) fails loudly instead of
 * being rounded.
 */
export class FenType extends Type<number, string> {
  override convertToDatabaseValue(value: number): string {
    return String(parseFen(value));
  }

  override convertToJSValue(value: string | number): number {
    return parseFen(value);
  }

  override compareAsType(): string {
    return 'number';
  }

  override getColumnType(): string {
    return 'bigint';
  }
}

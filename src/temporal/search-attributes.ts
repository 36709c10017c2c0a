import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { searchAttributes } from '../../workflows/purchase/contract';

const { IndexedValueType } = temporal.api.enums.v1;
/** gRPC's ALREADY_EXISTS status code. */
const GRPC_ALREADY_EXISTS = 6;

const INDEXED_TYPES: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

function isAlreadyRegistered(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === GRPC_ALREADY_EXISTS;
}

/**
 * Registers the purchase search attributes on a namespace, so operators can filter runs in the
 * Web UI by order number, member, product, status and maturity date; servers refuse to start a
 * workflow that carries an unregistered attribute. One call per attribute, each idempotent
 * (ALREADY_EXISTS is success), because the Java test server has no ListSearchAttributes.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  for (const key of Object.values(searchAttributes)) {
    const indexed = INDEXED_TYPES[key.type];
    if (indexed === undefined) throw new Error(`no indexed type for search attribute ${key.name} (${key.type})`);
    try {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: { [key.name]: indexed } });
    } catch (err) {
      if (!isAlreadyRegistered(err)) throw err;
    }
  }
}

import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';

/** gRPC's ALREADY_EXISTS and NOT_FOUND status codes. */
const GRPC_ALREADY_EXISTS = 6;
const GRPC_NOT_FOUND = 5;

function grpcCode(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
}

/** A freshly registered namespace reaches every frontend's cache within seconds, not minutes. */
const NAMESPACE_VISIBLE_TIMEOUT_MS = 60_000;

/**
 * Creates a namespace on a self-hosted cluster (ALREADY_EXISTS is success) and waits until the
 * frontend serves it. Temporal Cloud namespaces are created with `tcld`, never through this API.
 */
export async function ensureNamespace(
  connection: Connection,
  namespace: string,
  retentionDays: number,
): Promise<'created' | 'existed'> {
  let outcome: 'created' | 'existed' = 'created';
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`),
    });
  } catch (err) {
    if (grpcCode(err) !== GRPC_ALREADY_EXISTS) throw err;
    outcome = 'existed';
  }
  const deadline = Date.now() + NAMESPACE_VISIBLE_TIMEOUT_MS;
  for (;;) {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      return outcome;
    } catch (err) {
      if (grpcCode(err) !== GRPC_NOT_FOUND || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

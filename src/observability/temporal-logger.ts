import type { Logger as TemporalLogger, LogLevel, LogMetadata } from '@temporalio/common';
import type { Logger } from 'pino';

/** Purchase workflow ids are `purchase-<orderNo>` (workflows/purchase/contract.ts). */
const PURCHASE_WORKFLOW_ID = /^purchase-(.+)$/;

const PINO_LEVEL = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
} as const satisfies Record<LogLevel, string>;

/** String-keyed metadata only: the SDK may attach symbol keys, which JSON cannot carry. */
function fieldsOf(meta: LogMetadata | undefined): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...meta };
  if (fields.orderNo === undefined && typeof fields.workflowId === 'string') {
    const orderNo = PURCHASE_WORKFLOW_ID.exec(fields.workflowId)?.[1];
    if (orderNo !== undefined) fields.orderNo = orderNo;
  }
  return fields;
}

/**
 * The Temporal SDK's logger interface on top of pino, so workflow and activity logs are the same JSON
 * lines (same PII redaction) as the API's, and every line from a purchase's workflow or activities
 * carries `orderNo`, read from the workflow id when the line did not set it.
 */
export function temporalLoggerOn(logger: Logger): TemporalLogger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata): void => {
    logger[PINO_LEVEL[level]](fieldsOf(meta), message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

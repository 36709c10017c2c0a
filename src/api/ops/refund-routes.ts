import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Refund } from '../../db/entities/refund';
import { listRefunds } from '../../db/repositories/refunds';
import { REFUND_STATUSES } from '../../domain/refund';
import {
  type OperatorRefundAction,
  operatorRefundActionUpdate,
  refundWorkflowId,
} from '../../../workflows/refund/contract';
import { parseOrThrow } from '../http-error';
import { orderNoSchema } from '../purchase-schemas';
import { auditSchema } from './finance-routes';
import { operatorOf, requireRole } from './operator-auth';
import { updateRun } from './run-update';

/** What the refund routes need. */
export interface RefundRouteDeps {
  orm: MikroORM;
  temporal: Client;
  logger: Logger;
}

const listQuerySchema = z.strictObject({
  status: z.enum(REFUND_STATUSES).optional(),
  orderNo: orderNoSchema.optional(),
});
/** A refund's path names the payment it returns by LianLian's bill number (digits). */
const billSchema = z.string().regex(/^\d{1,40}$/, 'a LianLian bill number (digits)');

function refundView(refund: Refund) {
  return {
    refundNo: refund.refundNo,
    orderNo: refund.orderNo,
    xjpOrderNo: refund.xjpOrderNo,
    paymentBillNo: refund.paymentBillNo,
    attempt: refund.attempt,
    amountFen: refund.amountFen,
    cause: refund.cause,
    status: refund.status,
    lianlianRefundNo: refund.lianlianRefundNo,
    operator: refund.operator,
    evidenceRef: refund.evidenceRef,
    lastError: refund.lastError,
    createdAt: refund.createdAt.toISOString(),
    settledAt: refund.settledAt?.toISOString() ?? null,
  };
}

/**
 * `/ops/refunds`: the refund queue (every operator may read it, AWAITING_APPROVAL first of all) and
 * finance's actions on a payment's refund run, each audited and refused (409) by the run's validator
 * when it does not apply now.
 */
export function refundRoutes({ orm, temporal, logger }: RefundRouteDeps): Router {
  const router = Router();

  router.get('/refunds', async (req, res) => {
    const filter = parseOrThrow(listQuerySchema, req.query, 'query');
    const refunds = await listRefunds(orm.em.fork(), filter);
    res.json({ refunds: refunds.map(refundView) });
  });

  const action = (path: string, act: OperatorRefundAction['action']) =>
    router.post(`/refunds/:paymentBillNo/${path}`, requireRole('finance'), async (req, res) => {
      const paymentBillNo = parseOrThrow(billSchema, req.params.paymentBillNo, 'path.paymentBillNo');
      const audit = parseOrThrow(auditSchema, req.body ?? {}, 'body');
      const operator = operatorOf(res);
      const state = await updateRun(
        temporal,
        refundWorkflowId(paymentBillNo),
        operatorRefundActionUpdate,
        { action: act, operator, ...audit },
        `payment ${paymentBillNo} has no running refund`,
      );
      logger.info({ paymentBillNo, operator, action: act, ...audit }, 'finance acted on a refund');
      res.status(202).json({ paymentBillNo, action: act, operator, refund: state });
    });
  // A refund of money for no order we know leaves only once finance approves it.
  action('approve', 'APPROVE');
  // Retry a parked refund (an open outcome is followed under the same id, never replaced).
  action('retry', 'RETRY');
  // Finance returned the money outside LianLian.
  action('manual-refund', 'MARK_REFUNDED_BY_HAND');
  // Ask LianLian now instead of at the next query interval.
  action('query', 'QUERY_NOW');

  return router;
}

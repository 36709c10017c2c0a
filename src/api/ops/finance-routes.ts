import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { addLedgerCorrection } from '../../db/repositories/accruals';
import { findDemandPayout } from '../../db/repositories/demand-payouts';
import { findOrderByNo, recordOrderNote } from '../../db/repositories/orders';
import type { OrderStatus } from '../../domain/order-status';
import {
  type OperatorPayoutAction,
  operatorPayoutActionUpdate,
  type PayoutState,
  payoutWorkflowId,
} from '../../../workflows/payout/contract';
import { demandPayoutRetryUpdate, demandPayoutWorkflowId } from '../../../workflows/demand-payout/contract';
import { paymentDecisionUpdate, paymentQueryUpdate, purchaseWorkflowId } from '../../../workflows/purchase/contract';
import { HttpError, parseOrThrow } from '../http-error';
import { orderNoSchema } from '../purchase-schemas';
import { operatorOf, requireRole } from './operator-auth';
import { updateRun } from './run-update';
import { updateRefusal } from '../purchase-workflows';

/** What finance's routes need. */
export interface FinanceRouteDeps {
  orm: MikroORM;
  temporal: Client;
  logger: Logger;
}

const text = z.string().trim().min(1).max(500);
/** Every manual action is audited with why and where the evidence is (the operator comes from the key). */
export const auditSchema = z.strictObject({ reason: text, evidenceRef: text });
/** A demand payout id: the redemption id and the attempt (`…P01`). */
const payoutIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}P\d{2}$/, 'a demand payout id (<redemptionId>P01)');
const paymentDecisionSchema = auditSchema.extend({ action: z.enum(['ACCEPT_AS_PAID', 'REFUSE_PAYMENT']) });
const correctionSchema = z.strictObject({
  amountFen: z
    .number()
    .int()
    .refine((n) => n !== 0 && Number.isSafeInteger(n), 'a signed whole number of fen, not zero'),
  reason: text,
  evidenceRef: text,
});

/** Ledger corrections are made before the payout settles an order, never on a paid one. */
const CORRECTABLE: ReadonlySet<OrderStatus> = new Set(['ACCRUING', 'MATURED', 'PAYING_OUT', 'PAYOUT_FAILED']);

/**
 * `/ops` for finance: the manual actions on money, each audited with the operator's name, a reason
 * and an evidence reference; each needs the `finance` role (`requireRole('finance')`). Actions on a live payout are Updates on its workflow, refused (409)
 * by the workflow's validator when they do not apply in its current state.
 */
export function financeRoutes({ orm, temporal, logger }: FinanceRouteDeps): Router {
  const router = Router();

  const actOn = <Result, Arg>(workflowId: string, update: UpdateDefinition<Result, [Arg]>, arg: Arg, ended: string) =>
    updateRun(temporal, workflowId, update, arg, ended);

  /** The order number in the path, of an order we hold. */
  async function knownOrderNo(rawOrderNo: unknown): Promise<string> {
    const orderNo = parseOrThrow(orderNoSchema, rawOrderNo, 'path.orderNo');
    if ((await findOrderByNo(orm.em.fork(), orderNo)) === null)
      throw new HttpError(404, 'ORDER_NOT_FOUND', `no order ${orderNo}`);
    return orderNo;
  }

  async function payoutAction(
    rawOrderNo: unknown,
    body: unknown,
    action: OperatorPayoutAction['action'],
    operator: string,
  ): Promise<PayoutState> {
    const audit = parseOrThrow(auditSchema, body ?? {}, 'body');
    const orderNo = await knownOrderNo(rawOrderNo);
    const state = await actOn(
      payoutWorkflowId(orderNo),
      operatorPayoutActionUpdate,
      { action, operator, ...audit },
      `order ${orderNo} has no running payout`,
    );
    logger.info({ orderNo, operator, action, ...audit }, 'finance acted on a payout');
    return state;
  }

  const payoutRoute = (path: string, action: OperatorPayoutAction['action']) =>
    router.post(`/orders/:orderNo/${path}`, requireRole('finance'), async (req, res) => {
      const operator = operatorOf(res);
      const state = await payoutAction(req.params.orderNo, req.body, action, operator);
      res.status(202).json({ orderNo: state.orderNo, action, operator, payout: state });
    });
  // Retry a parked payout (after an unknown outcome the same payout is followed, never replaced).
  payoutRoute('retry-payout', 'RETRY');
  // Finance paid the investor by hand (财务打款): the order completes as MANUAL_PAYOUT.
  payoutRoute('manual-payout', 'MARK_PAID_BY_HAND');
  // Ask LianLian now instead of at the next query interval.
  payoutRoute('payout-query', 'QUERY_NOW');

  // Retry a demand redemption's parked payout, named by any of its payout ids (a new id after a failure, the same after an unknown outcome).
  router.post('/demand/payouts/:payoutId/retry', requireRole('finance'), async (req, res) => {
    const payoutId = parseOrThrow(payoutIdSchema, req.params.payoutId, 'path.payoutId');
    const audit = parseOrThrow(auditSchema, req.body ?? {}, 'body');
    const payout = await findDemandPayout(orm.em.fork(), payoutId);
    if (payout === null) throw new HttpError(404, 'PAYOUT_NOT_FOUND', `no demand payout ${payoutId}`);
    const operator = operatorOf(res);
    const redemptionId = payout.redemption.id;
    const state = await actOn(
      demandPayoutWorkflowId(redemptionId),
      demandPayoutRetryUpdate,
      { operator, ...audit },
      `redemption ${redemptionId} has no running payout`,
    );
    logger.info({ redemptionId, payoutId, operator, action: 'RETRY', ...audit }, 'finance retried a demand payout');
    res.status(202).json({ redemptionId, action: 'RETRY', operator, payout: state });
  });

  // A payment XJP reports that the order cannot take as is (another amount, an impossible time): accept or refuse it.
  router.post('/orders/:orderNo/payment-decision', requireRole('finance'), async (req, res) => {
    const { action, ...audit } = parseOrThrow(paymentDecisionSchema, req.body ?? {}, 'body');
    const orderNo = await knownOrderNo(req.params.orderNo);
    const operator = operatorOf(res);
    const state = await actOn(
      purchaseWorkflowId(orderNo),
      paymentDecisionUpdate,
      { action, operator, ...audit },
      `order ${orderNo} has no running workflow: it has ended`,
    );
    logger.info({ orderNo, operator, action, ...audit }, 'finance decided a payment held for review');
    res.json({ orderNo, action, operator, status: state.status, awaiting: state.awaiting });
  });

  // Ask XJP's payment query now (a notification may be lost) instead of at the payment window's end.
  router.post('/orders/:orderNo/payment-query', requireRole('finance'), async (req, res) => {
    const audit = parseOrThrow(auditSchema, req.body ?? {}, 'body');
    const orderNo = await knownOrderNo(req.params.orderNo);
    const operator = operatorOf(res);
    const state = await temporal.workflow
      .getHandle(purchaseWorkflowId(orderNo))
      .executeUpdate(paymentQueryUpdate)
      .catch((err: unknown) => {
        throw updateRefusal(err, `order ${orderNo} has no running workflow: it has ended`) ?? err;
      });
    await recordOrderNote(orm.em.fork(), {
      orderNo,
      cause: 'PAYMENT_QUERY_REQUESTED',
      actor: 'OPERATOR',
      actorRef: operator,
      detail: { ...audit, statusAfter: state.status },
      at: new Date(),
    });
    logger.info({ orderNo, operator, ...audit }, 'finance asked for the payment query now');
    res.json({ orderNo, action: 'QUERY_PAYMENT_NOW', operator, status: state.status, awaiting: state.awaiting });
  });

  router.post('/orders/:orderNo/ledger-corrections', requireRole('finance'), async (req, res) => {
    const orderNo = parseOrThrow(orderNoSchema, req.params.orderNo, 'path.orderNo');
    const correction = parseOrThrow(correctionSchema, req.body ?? {}, 'body');
    const operator = operatorOf(res);
    const at = new Date();
    const written = await orm.em.fork().transactional(async (tx) => {
      const order = await findOrderByNo(tx, orderNo);
      if (order === null) throw new HttpError(404, 'ORDER_NOT_FOUND', `no order ${orderNo}`);
      if (!CORRECTABLE.has(order.status))
        throw new HttpError(
          409,
          'WRONG_STATE',
          `order ${orderNo} is ${order.status}; its ledger can no longer be corrected`,
        );
      const row = await addLedgerCorrection(tx, { orderNo, ...correction, operator, at });
      await recordOrderNote(tx, {
        orderNo,
        cause: 'LEDGER_CORRECTED',
        actor: 'OPERATOR',
        actorRef: operator,
        detail: { ...correction, correctionId: row.id },
        at,
      });
      return row;
    });
    logger.info({ orderNo, operator, ...correction }, 'finance corrected a ledger');
    res.status(201).json({ orderNo, correctionId: written.id, amountFen: written.amountFen, operator });
  });

  return router;
}

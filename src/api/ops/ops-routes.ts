import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError } from '@temporalio/common';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { PurchaseOrder } from '../../db/entities/purchase-order';
import { findOrderByNo } from '../../db/repositories/orders';
import { shanghaiDate } from '../../domain/calendar';
import {
  operatorMismatchDecisionSignal,
  type PurchaseState,
  purchaseWorkflowId
} from '../../../workflows/purchase/contract';
import { operatorRetryPayoutSignal } from '../../../workflows/payout/contract';
import { HttpError, parseOrThrow } from '../http-error';
import { orderNoSchema } from '../purchase-schemas';
import type { PurchaseWorkflows } from '../purchase-workflows';
import { operatorOf, requireRole } from './operator-auth';
import { interestDecisionSchema, orderSearchSchema, overviewQuerySchema } from './ops-schemas';
import { orderDetail } from './order-detail';
import { searchOrders } from './order-search';
import { assetOverview } from './overview';

/** What the operator routes need. */
export interface OpsRouteDeps {
  orm: MikroORM;
  workflows: PurchaseWorkflows;
  logger: Logger;
}

/**
 * `/ops` for operators (behind `requireOperator`): order search and detail, the asset overview (any
 * role), and the two decisions a workflow waits for (payout retry, interest mismatch: the `operator`
 * role). Lists come from PostgreSQL; whether a decision is due is asked of the workflow itself.
 */
export function opsRoutes({ orm, workflows, logger }: OpsRouteDeps): Router {
  const router = Router();

  async function loadOrder(rawOrderNo: unknown): Promise<PurchaseOrder> {
    const orderNo = parseOrThrow(orderNoSchema, rawOrderNo, 'path.orderNo');
    const order = await findOrderByNo(orm.em.fork(), orderNo);
    if (order === null) throw new HttpError(404, 'ORDER_NOT_FOUND', `no order ${orderNo}`);
    return order;
  }

  /** The run's live state, or null when it cannot be asked (closed long ago, or never started). */
  async function liveState(orderNo: string): Promise<PurchaseState | null> {
    try {
      return await workflows.state(orderNo);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
  }

  async function stateAwaiting(orderNo: string, awaiting: PurchaseState['awaiting'], what: string): Promise<PurchaseState> {
    const state = await liveState(orderNo);
    if (state === null || state.awaiting !== awaiting) {
      const now = state === null ? 'has no running workflow' : `is ${state.status}, awaiting ${state.awaiting}`;
      throw new HttpError(409, 'WRONG_STATE', `order ${orderNo} ${now}; ${what}`);
    }
    return state;
  }

  router.get('/orders', async (req, res) => {
    res.json(await searchOrders(orm.em.fork(), parseOrThrow(orderSearchSchema, req.query, 'query')));
  });

  router.get('/orders/:orderNo', async (req, res) => {
    const order = await loadOrder(req.params.orderNo);
    res.json(await orderDetail(orm.em.fork(), order, await liveState(order.orderNo)));
  });

  router.get('/overview', async (req, res) => {
    const { date } = parseOrThrow(overviewQuerySchema, req.query, 'query');
    res.json(await assetOverview(orm.em.fork(), date ?? shanghaiDate(new Date())));
  });

  router.post('/orders/:orderNo/retry-payout', requireRole('operator'), async (req, res) => {
    const order = await loadOrder(req.params.orderNo);
    const state = await stateAwaiting(order.orderNo, 'OPERATOR_RETRY', 'only a PAYOUT_FAILED order waiting for an operator can be retried');
    if (state.status !== 'PAYOUT_FAILED') throw new HttpError(409, 'WRONG_STATE', `order ${order.orderNo} is ${state.status}; only a PAYOUT_FAILED order can be retried`);
    const operator = operatorOf(res);
    await workflows.client.workflow.getHandle(purchaseWorkflowId(order.orderNo)).signal(operatorRetryPayoutSignal, { operator });
    logger.info({ orderNo: order.orderNo, operator, payoutAttempts: state.payoutAttempts }, 'operator retried the payout');
    res.status(202).json({ orderNo: order.orderNo, status: state.status, retry: 'REQUESTED', operator });
  });

  router.post('/orders/:orderNo/interest-decision', requireRole('operator'), async (req, res) => {
    const order = await loadOrder(req.params.orderNo);
    const { decision } = parseOrThrow(interestDecisionSchema, req.body, 'body');
    const state = await stateAwaiting(order.orderNo, 'OPERATOR_REVIEW', 'only an order held for an interest mismatch takes a decision');
    const operator = operatorOf(res);
    await workflows.client.workflow.getHandle(purchaseWorkflowId(order.orderNo)).signal(operatorMismatchDecisionSignal, { decision, operator });
    logger.info({ orderNo: order.orderNo, operator, decision }, 'operator decided an interest mismatch');
    res.status(202).json({ orderNo: order.orderNo, status: state.status, decision, operator });
  });

  return router;
}

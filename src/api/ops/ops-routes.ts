import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError } from '@temporalio/common';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { PurchaseOrder } from '../../db/entities/purchase-order';
import { findOrderByNo } from '../../db/repositories/orders';
import { shanghaiDate } from '../../domain/calendar';
import { type PayoutState, payoutStateQuery, payoutWorkflowId } from '../../../workflows/payout/contract';
import { interestDecisionUpdate, type PurchaseState } from '../../../workflows/purchase/contract';
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
 * role), and the interest-mismatch decision (the `operator` role; finance's payout and ledger actions
 * are in finance-routes). Lists come from PostgreSQL; whether a decision is due is asked of the workflow itself.
 */
export function opsRoutes({ orm, workflows, logger }: OpsRouteDeps): Router {
  const router = Router();

  async function loadOrder(rawOrderNo: unknown): Promise<PurchaseOrder> {
    const orderNo = parseOrThrow(orderNoSchema, rawOrderNo, 'path.orderNo');
    const order = await findOrderByNo(orm.em.fork(), orderNo);
    if (order === null) throw new HttpError(404, 'ORDER_NOT_FOUND', `no order ${orderNo}`);
    return order;
  }

  /** A run's live answer, or null when it cannot be asked (closed long ago, or never started). */
  async function live<T>(ask: () => Promise<T>): Promise<T | null> {
    try {
      return await ask();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
  }
  const liveState = (orderNo: string): Promise<PurchaseState | null> => live(() => workflows.state(orderNo));
  const livePayout = (orderNo: string): Promise<PayoutState | null> =>
    live(() => workflows.client.workflow.getHandle(payoutWorkflowId(orderNo)).query(payoutStateQuery));

  router.get('/orders', async (req, res) => {
    res.json(await searchOrders(orm.em.fork(), parseOrThrow(orderSearchSchema, req.query, 'query')));
  });

  router.get('/orders/:orderNo', async (req, res) => {
    const order = await loadOrder(req.params.orderNo);
    const [state, payout] = await Promise.all([liveState(order.orderNo), livePayout(order.orderNo)]);
    res.json(await orderDetail(orm.em.fork(), order, state, payout));
  });

  router.get('/overview', async (req, res) => {
    const { date } = parseOrThrow(overviewQuerySchema, req.query, 'query');
    res.json(await assetOverview(orm.em.fork(), date ?? shanghaiDate(new Date())));
  });

  router.post('/orders/:orderNo/interest-decision', requireRole('operator'), async (req, res) => {
    const order = await loadOrder(req.params.orderNo);
    const { decision } = parseOrThrow(interestDecisionSchema, req.body, 'body');
    const operator = operatorOf(res);
    const state = await workflows.request(order.orderNo, interestDecisionUpdate, { decision, operator });
    logger.info(
      { orderNo: order.orderNo, operator, decision, status: state.status },
      'operator decided an interest mismatch',
    );
    res.json({ orderNo: order.orderNo, status: state.status, decision, operator });
  });

  return router;
}

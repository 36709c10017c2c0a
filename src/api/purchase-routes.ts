import type { MikroORM } from '@mikro-orm/postgresql';
import { type SignalDefinition, WorkflowNotFoundError } from '@temporalio/common';
import { Router, type Response } from 'express';
import type { PurchaseOrder } from '../db/entities/purchase-order';
import type { PiiCipher } from '../db/pii-cipher';
import { DuplicateIdempotencyKeyError } from '../db/repositories/errors';
import { createOrder, findOrderByNo, readInvestorPii } from '../db/repositories/orders';
import { parseAnnualRate } from '../domain/rate';
import { PartnerError } from '../partners/errors';
import type { XjpClient, XjpProduct } from '../partners/xjp';
import {
  cancelRequestedSignal,
  type PurchaseState,
  purchaseWorkflowId,
  withdrawRequestedSignal,
} from '../../workflows/purchase/contract';
import { HttpError, parseOrThrow } from './http-error';
import { idempotencyKeySchema, orderNoSchema, purchaseRequestSchema, type PurchaseRequest } from './purchase-schemas';
import { purchaseView } from './purchase-view';
import type { PurchaseWorkflows } from './purchase-workflows';

/** What the purchase routes need. */
export interface PurchaseRouteDeps {
  orm: MikroORM;
  pii: PiiCipher;
  xjp: XjpClient;
  workflows: PurchaseWorkflows;
}

async function productForOrder(xjp: XjpClient, productId: string): Promise<XjpProduct> {
  try {
    return await xjp.getProduct({ productId });
  } catch (err) {
    if (err instanceof PartnerError && !err.retryable) throw new HttpError(422, err.code, `product ${productId}: ${err.message}`);
    if (err instanceof PartnerError) throw new HttpError(503, 'PARTNER_UNAVAILABLE', 'XJP cannot be reached; nothing was ordered, retry with the same Idempotency-Key');
    throw err;
  }
}

function runGone(orderNo: string): HttpError {
  return new HttpError(409, 'WRONG_STATE', `order ${orderNo} has no running workflow: it has ended`);
}

/** True when a retried request is the one the key first carried: the order, the investor and the card alike. */
function sameRequest(order: PurchaseOrder, request: PurchaseRequest, pii: PiiCipher): boolean {
  if (order.memberId !== request.memberId || order.productId !== request.productId || order.amountFen !== request.amountFen) return false;
  const stored = readInvestorPii(order, pii);
  const { investor, bankCard } = request;
  return (
    stored.name === investor.name &&
    stored.idCardNo === investor.idCardNo &&
    stored.mobile === investor.mobile &&
    stored.email === investor.email &&
    stored.bankCardNo === bankCard.cardNo &&
    stored.bankCode === bankCard.bankCode
  );
}

function answerCreation(res: Response, state: PurchaseState, created: boolean): void {
  if (state.status === 'REJECTED') {
    res.status(422).json({ error: { code: state.rejectReason ?? 'REJECTED', message: `order ${state.orderNo} was refused: ${state.rejectReason ?? 'REJECTED'}` } });
    return;
  }
  const body = {
    orderNo: state.orderNo,
    status: state.status,
    paymentUrl: state.paymentUrl,
    payBefore: state.payBefore,
    expectedInterestFen: state.expectedInterestFen,
    interestStartDate: state.interestStartDate,
    maturityDate: state.maturityDate,
  };
  res.location(`/v1/purchases/${state.orderNo}`);
  // Still CREATED: XJP is slow or an operator must review; the order exists and goes on.
  if (state.status === 'CREATED') res.status(202).json({ ...body, awaiting: state.awaiting });
  else res.status(created ? 201 : 200).json(body);
}

/** `/v1/purchases`: buy, look, cancel before paying, withdraw after maturity. */
export function purchaseRoutes({ orm, pii, xjp, workflows }: PurchaseRouteDeps): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const idempotencyKey = parseOrThrow(idempotencyKeySchema, req.header('idempotency-key'), 'header.Idempotency-Key');
    const request = parseOrThrow(purchaseRequestSchema, req.body, 'body');
    const em = orm.em.fork();
    let order: PurchaseOrder;
    let created = true;
    try {
      const product = await productForOrder(xjp, request.productId);
      order = await createOrder(em, pii, {
        idempotencyKey,
        memberId: request.memberId,
        amountFen: request.amountFen,
        product: {
          productId: product.productId,
          productCode: product.productCode,
          productName: product.name,
          annualRate: parseAnnualRate(product.annualRate),
          term: { unit: product.termUnit, value: product.term },
          dayCountBasis: product.dayCountBasis,
          interestStartRule: product.interestStartRule,
          payoutMode: product.payoutMode,
          acceptingBank: product.acceptingBank,
        },
        investor: {
          name: request.investor.name,
          idCardNo: request.investor.idCardNo,
          mobile: request.investor.mobile,
          email: request.investor.email,
          bankCardNo: request.bankCard.cardNo,
          bankCode: request.bankCard.bankCode,
        },
        channel: request.channel,
        actor: 'INVESTOR',
        actorRef: request.memberId,
        at: new Date(),
      });
    } catch (err) {
      if (!(err instanceof DuplicateIdempotencyKeyError)) throw err;
      const existing = await findOrderByNo(orm.em.fork(), err.existingOrderNo);
      if (existing === null) throw err;
      if (!sameRequest(existing, request, pii)) {
        throw new HttpError(422, 'IDEMPOTENCY_KEY_REUSED', `Idempotency-Key already used for order ${existing.orderNo} with a different request`);
      }
      order = existing;
      created = false;
    }
    await workflows.ensureStarted(order, request.channel);
    answerCreation(res, await workflows.waitPastCreation(order.orderNo), created);
  });

  async function loadOrder(rawOrderNo: unknown): Promise<PurchaseOrder> {
    const orderNo = parseOrThrow(orderNoSchema, rawOrderNo, 'path.orderNo');
    const order = await findOrderByNo(orm.em.fork(), orderNo);
    if (order === null) throw new HttpError(404, 'ORDER_NOT_FOUND', `no order ${orderNo}`);
    return order;
  }

  /** The live state of an order's run; an order whose run is gone cannot be acted on (409). */
  async function runningState(orderNo: string): Promise<PurchaseState> {
    try {
      return await workflows.state(orderNo);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw runGone(orderNo);
      throw err;
    }
  }

  /** Signals the order's run; a run that has closed since it was queried is a 409, not a 500. */
  async function signalRun(orderNo: string, signal: SignalDefinition<[]>): Promise<void> {
    try {
      await workflows.client.workflow.getHandle(purchaseWorkflowId(orderNo)).signal(signal);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw runGone(orderNo);
      throw err;
    }
  }

  router.get('/:orderNo', async (req, res) => {
    const order = await loadOrder(req.params.orderNo);
    res.json(await purchaseView(orm.em.fork(), order));
  });

  router.post('/:orderNo/cancel', async (req, res) => {
    const order = await loadOrder(req.params.orderNo);
    const state = await runningState(order.orderNo);
    if (state.status !== 'SUBSCRIBED') throw new HttpError(409, 'WRONG_STATE', `order ${order.orderNo} is ${state.status}; only an unpaid SUBSCRIBED order can be cancelled`);
    await signalRun(order.orderNo, cancelRequestedSignal);
    res.status(202).json({ orderNo: order.orderNo, status: state.status, cancellation: 'REQUESTED' });
  });

  router.post('/:orderNo/withdraw', async (req, res) => {
    const order = await loadOrder(req.params.orderNo);
    const state = await runningState(order.orderNo);
    if (state.status !== 'MATURED' || state.awaiting !== 'WITHDRAWAL') {
      throw new HttpError(409, 'WRONG_STATE', `order ${order.orderNo} is ${state.status}; withdrawal opens at maturity for products paid out on withdrawal`);
    }
    await signalRun(order.orderNo, withdrawRequestedSignal);
    res.status(202).json({ orderNo: order.orderNo, status: state.status, withdrawal: 'REQUESTED' });
  });

  return router;
}

import type { MikroORM } from '@mikro-orm/postgresql';
import { Router, type Response } from 'express';
import type { PurchaseOrder } from '../db/entities/purchase-order';
import type { PiiCipher } from '../db/pii-cipher';
import { DuplicateIdempotencyKeyError, MemberLimitExceededError } from '../db/repositories/errors';
import { createOrder, findOrderByNo, readInvestorPii } from '../db/repositories/orders';
import { PartnerError } from '../partners/errors';
import { productSnapshot, type XjpClient, type XjpProduct } from '../partners/xjp';
import {
  cancelUpdate,
  earlyRedemptionQuoteUpdate,
  earlyRedemptionUpdate,
  type MaturityInstruction,
  maturityInstructionUpdate,
  type PurchaseState,
  withdrawUpdate,
} from '../../workflows/purchase/contract';
import { HttpError, parseOrThrow } from './http-error';
import {
  earlyRedemptionRequestSchema,
  idempotencyKeySchema,
  maturityInstructionSchema,
  orderNoSchema,
  purchaseRequestSchema,
  type PurchaseRequest,
} from './purchase-schemas';
import { purchaseView } from './purchase-view';
import type { PurchaseWorkflows } from './purchase-workflows';

/** What the purchase routes need. */
export interface PurchaseRouteDeps {
  orm: MikroORM;
  pii: PiiCipher;
  xjp: XjpClient;
  workflows: PurchaseWorkflows;
  /** How long the investor has to pay once subscribed. */
  paymentWindowMs: number;
}

async function productForOrder(xjp: XjpClient, productId: string): Promise<XjpProduct> {
  try {
    return await xjp.getProduct({ productId });
  } catch (err) {
    if (err instanceof PartnerError && !err.retryable)
      throw new HttpError(422, err.code, `product ${productId}: ${err.message}`);
    if (err instanceof PartnerError)
      throw new HttpError(
        503,
        'PARTNER_UNAVAILABLE',
        'XJP cannot be reached; nothing was ordered, retry with the same Idempotency-Key',
      );
    throw err;
  }
}

/** Offer statuses a maturity instruction may name: a sold-out product may free quota (cancellations) before maturity. */
const REINVESTABLE = new Set(['ON_SALE', 'SOLD_OUT']);

/**
 * Refuses (422) a maturity instruction naming a product XJP does not know or no longer sells; the
 * product is checked again at maturity, where one gone off sale falls back to paying out.
 */
async function checkInstruction(
  xjp: XjpClient,
  instruction: MaturityInstruction | undefined,
  field: string,
): Promise<void> {
  if (instruction?.productId === undefined || instruction.kind === 'PAYOUT') return;
  const refused = (code: string, message: string) => new HttpError(422, code, message, [{ field, message }]);
  let product: XjpProduct;
  try {
    product = await productForOrder(xjp, instruction.productId);
  } catch (err) {
    if (err instanceof HttpError && err.status === 422) throw refused(err.code, err.message);
    throw err;
  }
  const { status } = productSnapshot(product).offer;
  if (!REINVESTABLE.has(status))
    throw refused('PRODUCT_NOT_ON_SALE', `product ${instruction.productId} is ${status}: it cannot be reinvested in`);
}

/** True when a retried request is the one the key first carried: the order, the investor and the card alike. */
function sameRequest(order: PurchaseOrder, request: PurchaseRequest, pii: PiiCipher): boolean {
  if (
    order.memberId !== request.memberId ||
    order.productId !== request.productId ||
    order.amountFen !== request.amountFen
  )
    return false;
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

/** What `POST /v1/purchases` answers with. */
type CreationAnswer = Pick<
  PurchaseState,
  | 'orderNo'
  | 'status'
  | 'awaiting'
  | 'rejectReason'
  | 'paymentUrl'
  | 'payBefore'
  | 'expectedInterestFen'
  | 'interestStartDate'
  | 'maturityDate'
>;

/** The answer for an order whose run has already ended (a retried request after a refusal): its row says it all. */
function stateOfEndedOrder(order: PurchaseOrder): CreationAnswer {
  return {
    orderNo: order.orderNo,
    status: order.status,
    awaiting: 'NOTHING',
    ...(order.rejectReason === null ? {} : { rejectReason: order.rejectReason }),
    ...(order.paymentUrl === null ? {} : { paymentUrl: order.paymentUrl }),
    ...(order.payBefore === null ? {} : { payBefore: order.payBefore.toISOString() }),
    ...(order.expectedInterestFen === null ? {} : { expectedInterestFen: order.expectedInterestFen }),
    ...(order.interestStartDate === null ? {} : { interestStartDate: order.interestStartDate }),
    ...(order.maturityDate === null ? {} : { maturityDate: order.maturityDate }),
  };
}

function answerCreation(res: Response, state: CreationAnswer, created: boolean): void {
  if (state.status === 'REJECTED') {
    res.status(422).json({
      error: {
        code: state.rejectReason ?? 'REJECTED',
        message: `order ${state.orderNo} was refused: ${state.rejectReason ?? 'REJECTED'}`,
      },
    });
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

/**
 * `/v1/purchases`: buy, look, cancel before paying, redeem early (quote, confirm), choose what
 * maturity does (pay out or reinvest), withdraw after maturity.
 */
export function purchaseRoutes({ orm, pii, xjp, workflows, paymentWindowMs }: PurchaseRouteDeps): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const idempotencyKey = parseOrThrow(idempotencyKeySchema, req.header('idempotency-key'), 'header.Idempotency-Key');
    const request = parseOrThrow(purchaseRequestSchema, req.body, 'body');
    const em = orm.em.fork();
    let order: PurchaseOrder;
    let created = true;
    // Fetched once per request: the same snapshot is frozen on the order row and handed to the workflow.
    const xjpProduct = await productForOrder(xjp, request.productId);
    const product = productSnapshot(xjpProduct);
    await checkInstruction(xjp, request.maturityInstruction, 'body.maturityInstruction.productId');
    try {
      order = await createOrder(em, pii, {
        idempotencyKey,
        memberId: request.memberId,
        amountFen: request.amountFen,
        product: product.terms,
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
        ...(xjpProduct.memberLimitFen === undefined ? {} : { memberLimitFen: xjpProduct.memberLimitFen }),
      });
    } catch (err) {
      if (err instanceof MemberLimitExceededError) throw new HttpError(422, err.code, err.message);
      if (!(err instanceof DuplicateIdempotencyKeyError)) throw err;
      const existing = await findOrderByNo(orm.em.fork(), err.existingOrderNo);
      if (existing === null) throw err;
      if (!sameRequest(existing, request, pii)) {
        throw new HttpError(
          422,
          'IDEMPOTENCY_KEY_REUSED',
          `Idempotency-Key already used for order ${existing.orderNo} with a different request`,
        );
      }
      order = existing;
      created = false;
    }
    const input = {
      orderNo: order.orderNo,
      memberId: order.memberId,
      amountFen: order.amountFen,
      channel: request.channel,
      product,
      paymentWindowMs,
      ...(request.maturityInstruction === undefined ? {} : { maturityInstruction: request.maturityInstruction }),
    };
    const state = await workflows.startAndAwaitSubscription(input);
    answerCreation(res, state ?? stateOfEndedOrder(await loadOrder(order.orderNo)), created);
  });

  async function loadOrder(rawOrderNo: unknown): Promise<PurchaseOrder> {
    const orderNo = parseOrThrow(orderNoSchema, rawOrderNo, 'path.orderNo');
    const order = await findOrderByNo(orm.em.fork(), orderNo);
    if (order === null) throw new HttpError(404, 'ORDER_NOT_FOUND', `no order ${orderNo}`);
    return order;
  }

  router.get('/:orderNo', async (req, res) => {
    const order = await loadOrder(req.params.orderNo);
    res.json(await purchaseView(orm.em.fork(), order));
  });

  router.post('/:orderNo/cancel', async (req, res) => {
    const order = await loadOrder(req.params.orderNo);
    const state = await workflows.request(order.orderNo, cancelUpdate);
    res.json({ orderNo: order.orderNo, status: state.status });
  });

  router.post('/:orderNo/withdraw', async (req, res) => {
    const order = await loadOrder(req.params.orderNo);
    const state = await workflows.request(order.orderNo, withdrawUpdate);
    // The payout is its own run and moves the order on from MATURED; GET shows its progress.
    res.json({ orderNo: order.orderNo, status: state.status, awaiting: state.awaiting });
  });

  router.post('/:orderNo/early-redemption/quote', async (req, res) => {
    const order = await loadOrder(req.params.orderNo);
    res.json(await workflows.request(order.orderNo, earlyRedemptionQuoteUpdate));
  });

  router.post('/:orderNo/early-redemption', async (req, res) => {
    const order = await loadOrder(req.params.orderNo);
    const request = parseOrThrow(earlyRedemptionRequestSchema, req.body, 'body');
    const state = await workflows.request(order.orderNo, earlyRedemptionUpdate, request);
    // Redeemed at XJP and booked; the payout is its own run and moves the order on from MATURED.
    res.json({
      orderNo: order.orderNo,
      status: state.status,
      awaiting: state.awaiting,
      earlyRedemption: state.earlyRedemption,
    });
  });

  router.put('/:orderNo/maturity-instruction', async (req, res) => {
    const order = await loadOrder(req.params.orderNo);
    const instruction = parseOrThrow(maturityInstructionSchema, req.body, 'body');
    await checkInstruction(xjp, instruction, 'body.productId');
    const state = await workflows.request(order.orderNo, maturityInstructionUpdate, instruction);
    res.json({ orderNo: order.orderNo, status: state.status, maturityInstruction: state.maturityInstruction });
  });

  return router;
}

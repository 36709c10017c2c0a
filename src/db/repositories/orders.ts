import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { parseFen } from '../../domain/money';
import { assertTransition, type OrderStatus } from '../../domain/order-status';
import type { OrderTerms } from '../../domain/order-terms';
import { parseAnnualRate, rateFromMicros, rateToDecimalString } from '../../domain/rate';
import { newId } from '../ids';
import type { EventActor, OrderEvent } from '../entities/order-event';
import { OrderEventSchema } from '../entities/order-event';
import type { PurchaseOrder } from '../entities/purchase-order';
import { PurchaseOrderSchema } from '../entities/purchase-order';
import type { PiiCipher } from '../pii-cipher';
import { maskCardNo, maskName } from '../pii-mask';
import {
  DuplicateIdempotencyKeyError,
  MemberLimitExceededError,
  OrderNotFoundError,
  isUniqueViolation,
} from './errors';
import { nextOrderNumber } from './order-numbers';
import { writeOutboxEvent } from './webhooks';

/** The investor's personal data in clear, as the API received it; stored only encrypted and masked. */
export interface InvestorPii {
  name: string;
  idCardNo: string;
  mobile: string;
  email?: string;
  bankCardNo: string;
  bankCode?: string;
}

/** Who did something to an order, for the audit trail. */
export interface ActorRef {
  actor: EventActor;
  /** Operator name or partner code. */
  actorRef?: string;
}

export interface NewOrderInput extends ActorRef {
  idempotencyKey: string;
  memberId: string;
  product: OrderTerms;
  amountFen: number;
  investor: InvestorPii;
  /** Where the investor accepted the agreement (`PC`, `APP`, …). */
  channel: string;
  at: Date;
  /** The product's per-member limit when XJP states one: the member's orders of it may not sum past it. */
  memberLimitFen?: number;
  /** The matured order whose redeemed funds buy this one (续投). */
  previousOrderNo?: string;
}

/** Orders that never took money or gave it back: they do not count towards a per-member limit. */
const NOT_COUNTED_FOR_LIMIT: readonly OrderStatus[] = ['REJECTED', 'EXPIRED', 'CANCELLED'];

const heldRow = z.array(z.object({ held: z.string() }));

/**
 * Refuses the order when it would take the member past `limitFen` of the product. Holds a
 * transaction-scoped advisory lock per (member, product), so two concurrent orders of one member
 * cannot both pass on the same sum; the lock ends with the transaction that inserts the order.
 */
async function assertWithinMemberLimit(tx: EntityManager, input: NewOrderInput, limitFen: number): Promise<void> {
  const { memberId, amountFen } = input;
  const { productId } = input.product;
  await tx.execute(`select pg_advisory_xact_lock(hashtext('member-limit:' || ?), hashtext(?))`, [memberId, productId]);
  const rows = await tx.execute(
    `select coalesce(sum(amount_fen), 0)::text as held from purchase_order
      where member_id = ? and product_id = ? and status not in (${NOT_COUNTED_FOR_LIMIT.map(() => '?').join(', ')})`,
    [memberId, productId, ...NOT_COUNTED_FOR_LIMIT],
  );
  const heldFen = parseFen(heldRow.parse(rows)[0]?.held ?? '0');
  if (heldFen + amountFen > limitFen) throw new MemberLimitExceededError(productId, limitFen, heldFen, amountFen);
}

/**
 * Creates an order with a fresh order number, status CREATED and its first event, in one
 * transaction. Idempotent on the member's `idempotencyKey`: a second call by the same member with
 * the same key (even concurrent) throws DuplicateIdempotencyKeyError carrying the existing order
 * number; another member's key of the same text is another request.
 */
export async function createOrder(em: EntityManager, cipher: PiiCipher, input: NewOrderInput): Promise<PurchaseOrder> {
  try {
    return await em.transactional(async (tx) => {
      if (input.memberLimitFen !== undefined) {
        // A retry of an order already made answers that order, whatever the limit says now.
        const existing = await tx.findOne(PurchaseOrderSchema, {
          memberId: input.memberId,
          idempotencyKey: input.idempotencyKey,
        });
        if (existing) throw new DuplicateIdempotencyKeyError(input.idempotencyKey, existing.orderNo);
        await assertWithinMemberLimit(tx, input, input.memberLimitFen);
      }
      const orderNo = await nextOrderNumber(tx, input.at);
      const order = tx.create(PurchaseOrderSchema, newOrderRow(orderNo, cipher, input));
      const event = tx.create(OrderEventSchema, {
        id: newId('evt'),
        order,
        fromStatus: null,
        toStatus: 'CREATED',
        cause: 'ORDER_CREATED',
        actor: input.actor,
        actorRef: input.actorRef ?? null,
        detail: null,
        occurredAt: input.at,
      });
      await writeOutboxEvent(tx, { event, type: 'order.status_changed', reasonCode: null });
      return order;
    });
  } catch (error) {
    if (!isUniqueViolation(error, 'purchase_order_member_id_idempotency_key_unique')) throw error;
    const existing = await findOrderByIdempotencyKey(em.fork(), input.memberId, input.idempotencyKey);
    if (!existing) throw error;
    throw new DuplicateIdempotencyKeyError(input.idempotencyKey, existing.orderNo);
  }
}

function newOrderRow(orderNo: string, cipher: PiiCipher, input: NewOrderInput): PurchaseOrder {
  const { product, investor } = input;
  return {
    id: newId('ord'),
    orderNo,
    memberId: input.memberId,
    idempotencyKey: input.idempotencyKey,
    productId: product.productId,
    productCode: product.productCode,
    productName: product.productName,
    annualRateMicros: parseAnnualRate(product.annualRate).micros,
    termValue: product.term.value,
    termUnit: product.term.unit,
    dayCountBasis: product.dayCountBasis,
    interestStartRule: product.interestStartRule,
    payoutMode: product.payoutMode,
    acceptingBank: product.acceptingBank,
    redemptionTerms:
      product.redemption?.earlyRedemption === undefined && product.redemption?.serviceFee === undefined
        ? null
        : product.redemption,
    channel: input.channel,
    amountFen: input.amountFen,
    status: 'CREATED',
    rejectReason: null,
    xjpOrderId: null,
    xjpOrderNo: null,
    paymentUrl: null,
    payBefore: null,
    interestStartDate: null,
    maturityDate: null,
    expectedInterestFen: null,
    agreedInterestFen: null,
    investorNameEnc: cipher.encrypt(investor.name),
    investorNameMasked: maskName(investor.name),
    idCardNoEnc: cipher.encrypt(investor.idCardNo),
    mobileEnc: cipher.encrypt(investor.mobile),
    emailEnc: investor.email === undefined ? null : cipher.encrypt(investor.email),
    bankCardEnc: cipher.encrypt(investor.bankCardNo),
    bankCardMasked: maskCardNo(investor.bankCardNo),
    bankCode: investor.bankCode ?? null,
    createdAt: input.at,
    updatedAt: input.at,
    paidAt: null,
    previousOrderNo: input.previousOrderNo ?? null,
  };
}

/** The order a matured order's funds were reinvested in, or null. */
export async function findReinvestmentOf(em: EntityManager, previousOrderNo: string): Promise<PurchaseOrder | null> {
  return em.findOne(PurchaseOrderSchema, { previousOrderNo });
}

/** The order with this order number, or null. */
export async function findOrderByNo(em: EntityManager, orderNo: string): Promise<PurchaseOrder | null> {
  return em.findOne(PurchaseOrderSchema, { orderNo });
}

/** The order with this order number; OrderNotFoundError when there is none. */
export async function requireOrder(em: EntityManager, orderNo: string): Promise<PurchaseOrder> {
  const order = await findOrderByNo(em, orderNo);
  if (order === null) throw new OrderNotFoundError(orderNo);
  return order;
}

/** The order this member created under this idempotency key, or null. */
export async function findOrderByIdempotencyKey(
  em: EntityManager,
  memberId: string,
  idempotencyKey: string,
): Promise<PurchaseOrder | null> {
  return em.findOne(PurchaseOrderSchema, { memberId, idempotencyKey });
}

/** A member's orders, newest first. */
export async function listOrdersByMember(em: EntityManager, memberId: string, limit = 100): Promise<PurchaseOrder[]> {
  return em.find(PurchaseOrderSchema, { memberId }, { orderBy: { createdAt: 'desc', orderNo: 'desc' }, limit });
}

/** Orders still CREATED that were made before `before`, oldest first: candidates for a run that never started. */
export async function listCreatedOrdersBefore(
  em: EntityManager,
  before: Date,
  limit: number,
): Promise<PurchaseOrder[]> {
  return em.find(
    PurchaseOrderSchema,
    { status: 'CREATED', createdAt: { $lt: before } },
    { orderBy: { createdAt: 'asc', orderNo: 'asc' }, limit },
  );
}

/** The terms frozen on an order's row, in the shape the workflow carries them. */
export function termsOfOrder(order: PurchaseOrder): OrderTerms {
  return {
    productId: order.productId,
    productCode: order.productCode,
    productName: order.productName,
    annualRate: rateToDecimalString(rateFromMicros(order.annualRateMicros)),
    term: { unit: order.termUnit, value: order.termValue },
    dayCountBasis: order.dayCountBasis,
    interestStartRule: order.interestStartRule,
    payoutMode: order.payoutMode,
    // Only rows made before the bank was kept lack it; the contract then names none.
    acceptingBank: order.acceptingBank ?? '',
    ...(order.redemptionTerms === null ? {} : { redemption: order.redemptionTerms }),
  };
}

/** Decrypts the personal data of an order, for the calls that must send it (XJP account opening, payout). */
export function readInvestorPii(order: PurchaseOrder, cipher: PiiCipher): InvestorPii {
  return {
    name: cipher.decrypt(order.investorNameEnc),
    idCardNo: cipher.decrypt(order.idCardNoEnc),
    mobile: cipher.decrypt(order.mobileEnc),
    ...(order.emailEnc === null ? {} : { email: cipher.decrypt(order.emailEnc) }),
    bankCardNo: cipher.decrypt(order.bankCardEnc),
    ...(order.bankCode === null ? {} : { bankCode: order.bankCode }),
  };
}

/** Fields a status change may set along with the status. */
export type OrderChanges = Partial<
  Pick<
    PurchaseOrder,
    | 'rejectReason'
    | 'xjpOrderId'
    | 'xjpOrderNo'
    | 'paymentUrl'
    | 'payBefore'
    | 'interestStartDate'
    | 'maturityDate'
    | 'expectedInterestFen'
    | 'agreedInterestFen'
    | 'paidAt'
  >
>;

/** Refuses an illegal status change by throwing; the lifecycle table's `assertTransition` by default. */
export type TransitionGuard = (from: OrderStatus, to: OrderStatus) => void;

export interface TransitionInput extends ActorRef {
  orderNo: string;
  to: OrderStatus;
  /** Stable code of why (`XJP_SUBSCRIBED`, `PAYMENT_NOTIFIED`, `PAYMENT_WINDOW_ELAPSED`, …). */
  cause: string;
  at: Date;
  changes?: OrderChanges;
  detail?: Record<string, unknown>;
  guard?: TransitionGuard;
}

export interface TransitionResult {
  order: PurchaseOrder;
  /** False when the order was already in `to`: a retried activity, nothing written. */
  changed: boolean;
}

/** The reason code a status change states: the refusal reason it sets, or the park reason its detail names. */
function reasonCodeOf(input: TransitionInput): string | null {
  const fromDetail = input.detail?.['reasonCode'];
  return input.changes?.rejectReason ?? (typeof fromDetail === 'string' ? fromDetail : null);
}

/**
 * Moves an order to `to` and writes the event row and its outbox row (src/db/repositories/webhooks.ts)
 * in one transaction, holding the order's row lock so concurrent transitions serialise. Idempotent: an order already in `to` is returned unchanged
 * (and `changes` are not applied), so an activity retry after a lost reply does no harm.
 */
export async function transitionOrder(em: EntityManager, input: TransitionInput): Promise<TransitionResult> {
  const guard = input.guard ?? assertTransition;
  return em.transactional(async (tx) => {
    const order = await tx.findOne(
      PurchaseOrderSchema,
      { orderNo: input.orderNo },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!order) throw new OrderNotFoundError(input.orderNo);
    if (order.status === input.to) return { order, changed: false };
    const from = order.status;
    guard(from, input.to);
    tx.assign(order, { ...input.changes, status: input.to, updatedAt: input.at });
    const event = tx.create(OrderEventSchema, {
      id: newId('evt'),
      order,
      fromStatus: from,
      toStatus: input.to,
      cause: input.cause,
      actor: input.actor,
      actorRef: input.actorRef ?? null,
      detail: input.detail ?? null,
      occurredAt: input.at,
    });
    await writeOutboxEvent(tx, { event, type: 'order.status_changed', reasonCode: reasonCodeOf(input) });
    return { order, changed: true };
  });
}

/** An order's audit trail, oldest first. */
export async function listOrderEvents(em: EntityManager, orderNo: string): Promise<OrderEvent[]> {
  return em.find(OrderEventSchema, { order: { orderNo } }, { orderBy: { occurredAt: 'asc', id: 'asc' } });
}

export interface OrderNoteInput extends ActorRef {
  orderNo: string;
  /** Stable code of what happened (`LEDGER_CORRECTED`, `PAID_AMOUNT_MISMATCH`, …). */
  cause: string;
  detail: Record<string, unknown>;
  at: Date;
  /** The reason code when the note says the order now waits for a person: the platform is then told (`order.parked`). */
  parkedFor?: string;
  /** The order carries at most one note of this cause: a repeat (an activity retried after a lost reply) writes nothing. */
  once?: boolean;
}

/**
 * Writes an event that changes no status (from = to = the order's status): an alert, or an operator
 * action that must be on the audit trail (an account re-opened at XJP, …); a park also writes its
 * outbox row in the same transaction, under the order's row lock as a transition does. Returns the event.
 */
export async function recordOrderNote(em: EntityManager, input: OrderNoteInput): Promise<OrderEvent> {
  return em.transactional(async (tx) => {
    const order = await tx.findOne(
      PurchaseOrderSchema,
      { orderNo: input.orderNo },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!order) throw new OrderNotFoundError(input.orderNo);
    if (input.once === true) {
      const earlier = await tx.findOne(OrderEventSchema, { order, cause: input.cause });
      if (earlier) return earlier;
    }
    const event = tx.create(OrderEventSchema, {
      id: newId('evt'),
      order,
      fromStatus: order.status,
      toStatus: order.status,
      cause: input.cause,
      actor: input.actor,
      actorRef: input.actorRef ?? null,
      detail: input.detail,
      occurredAt: input.at,
    });
    if (input.parkedFor !== undefined) {
      await writeOutboxEvent(tx, { event, type: 'order.parked', reasonCode: input.parkedFor });
    }
    return event;
  });
}

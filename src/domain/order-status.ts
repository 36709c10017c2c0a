import { IllegalTransitionError } from './errors';

/** Every status an order can be in, in lifecycle order; a const tuple so `z.enum(ORDER_STATUSES)` works. */
export const ORDER_STATUSES = [
  'CREATED',
  'SUBSCRIBED',
  'PAID',
  'ACCRUING',
  'MATURED',
  'PAYING_OUT',
  'COMPLETED',
  'REJECTED',
  'EXPIRED',
  'CANCELLED',
  'PAYOUT_FAILED',
] as const;

/** One of {@link ORDER_STATUSES}. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The only legal status changes. The decisions beyond the straight line:
 * - SUBSCRIBED → REJECTED: XJP's maturity interest disagrees with ours, so an operator-visible stop
 *   (reason INTEREST_MISMATCH) cancels the subscription before the investor pays; we never take
 *   money on figures we cannot honour. If XJP refuses the cancel because payment already landed,
 *   the order goes SUBSCRIBED → PAID instead, which is why EXPIRED/CANCELLED/REJECTED never lead to PAID.
 * - MATURED has no timer of its own: AUTO products move on to PAYING_OUT at once, ON_WITHDRAWAL
 *   products wait there for the investor's withdrawal.
 * - MATURED → COMPLETED: everything the redemption paid went into a new order (续投), so nothing is paid out.
 * - PAYOUT_FAILED waits for an operator: retry (→ PAYING_OUT) or record finance's manual payout (→ COMPLETED).
 * - COMPLETED → PAYOUT_FAILED: the bank reversed a successful payout (LianLian CANCEL after SUCCESS).
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  CREATED: ['SUBSCRIBED', 'REJECTED'],
  SUBSCRIBED: ['PAID', 'EXPIRED', 'CANCELLED', 'REJECTED'],
  PAID: ['ACCRUING'],
  ACCRUING: ['MATURED'],
  MATURED: ['PAYING_OUT', 'COMPLETED'],
  PAYING_OUT: ['COMPLETED', 'PAYOUT_FAILED'],
  COMPLETED: ['PAYOUT_FAILED'],
  REJECTED: [],
  EXPIRED: [],
  CANCELLED: [],
  PAYOUT_FAILED: ['PAYING_OUT', 'COMPLETED'],
};

/** The groups the investor's order history filters by; every status is in exactly one. */
export const ORDER_STATUS_GROUPS = ['PENDING', 'HELD', 'ENDED'] as const;

/** One of {@link ORDER_STATUS_GROUPS}. */
export type OrderStatusGroup = (typeof ORDER_STATUS_GROUPS)[number];

/**
 * The group of each status (a full record, so a new status cannot be left out). PENDING: no money
 * in yet (subscribing, awaiting payment). HELD: the principal is in and not yet back with the
 * investor (PAYOUT_FAILED waits for an operator). ENDED: paid out, or ended without taking money;
 * COMPLETED is ENDED although a bank reversal can reopen it.
 */
export const STATUS_GROUP: Readonly<Record<OrderStatus, OrderStatusGroup>> = {
  CREATED: 'PENDING',
  SUBSCRIBED: 'PENDING',
  PAID: 'HELD',
  ACCRUING: 'HELD',
  MATURED: 'HELD',
  PAYING_OUT: 'HELD',
  PAYOUT_FAILED: 'HELD',
  COMPLETED: 'ENDED',
  REJECTED: 'ENDED',
  EXPIRED: 'ENDED',
  CANCELLED: 'ENDED',
};

/** The statuses of `group`, in lifecycle order. */
export function statusesIn(group: OrderStatusGroup): OrderStatus[] {
  return ORDER_STATUSES.filter((status) => STATUS_GROUP[status] === group);
}

/** True when `value` names an order status. */
export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value);
}

/** True when the lifecycle allows moving from `from` to `to`. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** Throws IllegalTransitionError (code ILLEGAL_TRANSITION) unless `from` → `to` is legal. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

/** True when no status can follow; COMPLETED is not terminal because a bank reversal can reopen it. */
export function isTerminal(status: OrderStatus): boolean {
  return ORDER_TRANSITIONS[status].length === 0;
}

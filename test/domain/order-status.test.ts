import { IllegalTransitionError, type DomainError } from '../../src/domain/errors';
import {
  ORDER_STATUS_GROUPS,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  STATUS_GROUP,
  statusesIn,
  assertTransition,
  canTransition,
  isOrderStatus,
  isTerminal,
  type OrderStatus,
} from '../../src/domain/order-status';
import { thrown } from './thrown';

// The lifecycle written out independently of the table, so an edit to either shows up here.
const LEGAL: ReadonlyArray<readonly [OrderStatus, OrderStatus]> = [
  ['CREATED', 'SUBSCRIBED'],
  ['CREATED', 'REJECTED'],
  ['SUBSCRIBED', 'PAID'],
  ['SUBSCRIBED', 'EXPIRED'],
  ['SUBSCRIBED', 'CANCELLED'],
  ['SUBSCRIBED', 'REJECTED'],
  ['PAID', 'ACCRUING'],
  ['ACCRUING', 'MATURED'],
  ['MATURED', 'PAYING_OUT'],
  ['MATURED', 'COMPLETED'],
  ['PAYING_OUT', 'COMPLETED'],
  ['PAYING_OUT', 'PAYOUT_FAILED'],
  ['COMPLETED', 'PAYOUT_FAILED'],
  ['PAYOUT_FAILED', 'PAYING_OUT'],
  ['PAYOUT_FAILED', 'COMPLETED'],
];
const isLegal = (from: OrderStatus, to: OrderStatus) => LEGAL.some(([a, b]) => a === from && b === to);
const ALL_PAIRS = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));

describe('order transitions', () => {
  it.each(LEGAL)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(ALL_PAIRS.filter(([from, to]) => !isLegal(from, to)))(
    'refuses %s → %s with ILLEGAL_TRANSITION',
    (from, to) => {
      expect(canTransition(from, to)).toBe(false);
      const error = thrown(() => assertTransition(from, to));
      expect(error).toBeInstanceOf(IllegalTransitionError);
      expect(error).toMatchObject({ code: 'ILLEGAL_TRANSITION', from, to });
      expect((error as DomainError).message).toBe(`an order cannot move from ${from} to ${to}`);
    },
  );

  it('has exactly the documented legal transitions in its table', () => {
    const tablePairs = ORDER_STATUSES.flatMap((from) => ORDER_TRANSITIONS[from].map((to) => `${from}→${to}`));
    expect(tablePairs.sort()).toEqual(LEGAL.map(([from, to]) => `${from}→${to}`).sort());
  });

  it('never lets an unpaid ending become paid', () => {
    for (const end of ['EXPIRED', 'CANCELLED', 'REJECTED'] as const) expect(canTransition(end, 'PAID')).toBe(false);
  });

  it('reaches every status from CREATED', () => {
    const reached = new Set<OrderStatus>(['CREATED']);
    for (let grew = true; grew;) {
      const before = reached.size;
      for (const status of [...reached]) for (const next of ORDER_TRANSITIONS[status]) reached.add(next);
      grew = reached.size > before;
    }
    expect([...reached].sort()).toEqual([...ORDER_STATUSES].sort());
  });
});

describe('isTerminal', () => {
  it.each(ORDER_STATUSES.map((status) => [status, ['REJECTED', 'EXPIRED', 'CANCELLED'].includes(status)] as const))(
    '%s terminal: %p',
    (status, terminal) => {
      expect(isTerminal(status)).toBe(terminal);
    },
  );
});

describe('isOrderStatus', () => {
  it('recognises every status and nothing else', () => {
    for (const status of ORDER_STATUSES) expect(isOrderStatus(status)).toBe(true);
    for (const value of ['created', 'PENDING', '', null, 3]) expect(isOrderStatus(value)).toBe(false);
  });
});

describe('status groups', () => {
  it('put every status in exactly one group: PENDING before money, HELD while it is in, ENDED after', () => {
    expect(ORDER_STATUS_GROUPS.map((group) => [group, statusesIn(group)])).toEqual([
      ['PENDING', ['CREATED', 'SUBSCRIBED']],
      ['HELD', ['PAID', 'ACCRUING', 'MATURED', 'PAYING_OUT', 'PAYOUT_FAILED']],
      ['ENDED', ['COMPLETED', 'REJECTED', 'EXPIRED', 'CANCELLED']],
    ]);
    expect(ORDER_STATUS_GROUPS.flatMap(statusesIn).sort()).toEqual([...ORDER_STATUSES].sort());
  });

  it('end every terminal status in ENDED', () => {
    for (const status of ORDER_STATUSES.filter(isTerminal)) expect(STATUS_GROUP[status]).toBe('ENDED');
  });
});

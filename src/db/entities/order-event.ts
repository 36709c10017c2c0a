import { EntitySchema } from '@mikro-orm/core';
import { ORDER_STATUSES, type OrderStatus } from '../../domain/order-status';
import type { PurchaseOrder } from './purchase-order';
import { PurchaseOrderSchema } from './purchase-order';

/** Who caused a status change. */
export const EVENT_ACTORS = ['SYSTEM', 'INVESTOR', 'OPERATOR', 'PARTNER'] as const;
export type EventActor = (typeof EVENT_ACTORS)[number];

/** The audit trail: one row per status change of an order, never updated or deleted. */
export interface OrderEvent {
  id: string;
  order: PurchaseOrder;
  /** Null for the row that records the order's creation. */
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus;
  /** Why, in a stable code (`XJP_PAYMENT_NOTIFIED`, `PAYMENT_WINDOW_ELAPSED`, …). */
  cause: string;
  actor: EventActor;
  /** The operator's name or the partner's code, when the actor has one. */
  actorRef: string | null;
  detail: Record<string, unknown> | null;
  occurredAt: Date;
}

export const OrderEventSchema = new EntitySchema<OrderEvent>({
  name: 'OrderEvent',
  tableName: 'order_event',
  indexes: [{ name: 'order_event_order_id_occurred_at_index', properties: ['order', 'occurredAt'] }],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    order: { kind: 'm:1', entity: () => PurchaseOrderSchema, deleteRule: 'restrict', index: false },
    fromStatus: { enum: true, items: () => [...ORDER_STATUSES], columnType: 'text', nullable: true },
    toStatus: { enum: true, items: () => [...ORDER_STATUSES], columnType: 'text' },
    cause: { type: 'string', columnType: 'text' },
    actor: { enum: true, items: () => [...EVENT_ACTORS], columnType: 'text' },
    actorRef: { type: 'string', columnType: 'text', nullable: true },
    detail: { type: 'json', nullable: true },
    occurredAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

import { EntitySchema } from '@mikro-orm/core';

/** Last order sequence handed out per Asia/Shanghai day; order numbers restart at 1 each day. */
export interface OrderNumberCounter {
  day: string;
  lastValue: number;
}

export const OrderNumberCounterSchema = new EntitySchema<OrderNumberCounter>({
  name: 'OrderNumberCounter',
  tableName: 'order_number_counter',
  checks: [{ name: 'order_number_counter_last_value_positive', expression: 'last_value > 0' }],
  properties: {
    day: { type: 'date', columnType: 'date', primary: true },
    lastValue: { type: 'integer' },
  },
});

import type { EntityManager } from '@mikro-orm/postgresql';
import { shanghaiDate } from '../../domain/calendar';
import { formatOrderNumber } from '../../domain/order-number';

/**
 * Hands out the next order number of the Asia/Shanghai day `at` falls on (`XJP20261122000123`).
 * One atomic upsert per call, so concurrent callers never share a number; inside a transaction the
 * counter row stays locked until commit and a rollback returns the number.
 */
export async function nextOrderNumber(em: EntityManager, at: Date): Promise<string> {
  const day = shanghaiDate(at);
  const rows = await em.execute<{ last_value: number }[]>(
    `insert into order_number_counter (day, last_value) values (?, 1)
     on conflict (day) do update set last_value = order_number_counter.last_value + 1
     returning last_value`,
    [day],
  );
  const sequence = rows[0]?.last_value;
  if (sequence === undefined) throw new Error('order number counter returned no row');
  return formatOrderNumber(day, sequence);
}

import { ApplicationFailure, Context } from '@temporalio/activity';
import { postAccrualDayChunk } from '../../src/db/repositories/accruals';
import { addDays, isCalendarDate, shanghaiMidnight } from '../../src/domain/calendar';
import type { ActivityDependencies } from '../dependencies';

/** Accruing orders one statement posts: large enough for set-based speed, small enough to keep each transaction short. */
export const ACCRUAL_CHUNK_ORDERS = 5_000;

/** What one end-of-day batch did. */
export interface AccrualDayResult {
  accrualDate: string;
  /** Accruing orders the day belonged to (those already posted included). */
  orders: number;
  /** Rows this batch wrote; fewer than `orders` when a catch-up or an earlier attempt got there first. */
  posted: number;
  chunks: number;
}

/** Where a retried attempt resumes: the chunks already done are not walked again. */
interface ChunkProgress {
  afterOrderId: string;
  orders: number;
  posted: number;
  chunks: number;
}

/** The end-of-day accrual batch: posts one ended Shanghai day for every accruing order, chunk by chunk. */
export function createAccrualActivities({ orm }: ActivityDependencies) {
  return {
    /**
     * Posts `accrualDate` for every ACCRUING order whose accrual days include it. Refuses a day that
     * has not ended in Shanghai by the server's clock (the attempt's scheduled time, which is workflow
     * time, not this machine's). Idempotent on (order, date): a retry, a second run for the same day
     * or an order's own catch-up never posts a day twice.
     */
    async postAccrualDay(input: { accrualDate: string }): Promise<AccrualDayResult> {
      const { accrualDate } = input;
      if (!isCalendarDate(accrualDate)) {
        throw ApplicationFailure.nonRetryable(`not an accrual date: ${accrualDate}`, 'INVALID_ACCRUAL_DATE');
      }
      const context = Context.current();
      const now = context.info.currentAttemptScheduledTimestampMs;
      if (shanghaiMidnight(addDays(accrualDate, 1)).getTime() > now) {
        throw ApplicationFailure.nonRetryable(
          `accrual day ${accrualDate} has not ended in Asia/Shanghai`,
          'ACCRUAL_DAY_NOT_ENDED',
        );
      }
      const resumed = context.info.heartbeatDetails as ChunkProgress | undefined;
      const progress: ChunkProgress = resumed ?? { afterOrderId: '', orders: 0, posted: 0, chunks: 0 };
      for (;;) {
        const chunk = await postAccrualDayChunk(orm.em.fork(), {
          accrualDate,
          afterOrderId: progress.afterOrderId,
          limit: ACCRUAL_CHUNK_ORDERS,
          at: new Date(),
        });
        if (chunk.lastOrderId === undefined) break;
        Object.assign(progress, {
          afterOrderId: chunk.lastOrderId,
          orders: progress.orders + chunk.orders,
          posted: progress.posted + chunk.posted,
          chunks: progress.chunks + 1,
        });
        context.heartbeat(progress);
        if (chunk.orders < ACCRUAL_CHUNK_ORDERS) break;
      }
      context.log.info('accrual day posted', { accrualDate, ...progress });
      return { accrualDate, orders: progress.orders, posted: progress.posted, chunks: progress.chunks };
    },
  };
}

/** The activity interface the accrual-posting workflow proxies (imported there as a type only). */
export type AccrualActivities = ReturnType<typeof createAccrualActivities>;

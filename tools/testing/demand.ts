/** Demand tests move the engine's clock on Shanghai days and trade on business days. */
import { addDays, shanghaiDate, shanghaiMidnight } from '../../src/domain/calendar';
import { isBusinessDay } from '../../src/domain/demand/business-days';
import type { RunningTestEngine } from './engine';

const MINUTE_MS = 60 * 1000;

/** Moves the test server's clock to `minutes` past midnight Shanghai on `date` (never back). */
export async function skipToShanghai(running: RunningTestEngine, date: string, minutes: number): Promise<void> {
  const target = shanghaiMidnight(date).getTime() + minutes * MINUTE_MS;
  const now = await running.env.currentTimeMs();
  if (target > now) await running.env.sleep(target - now);
}

/** The next business day after the test server's today, so the cut-off is tested on a day it applies. */
export async function nextTradingDay(running: RunningTestEngine): Promise<string> {
  let day = addDays(shanghaiDate(new Date(await running.env.currentTimeMs())), 1);
  while (!isBusinessDay(day)) day = addDays(day, 1);
  return day;
}

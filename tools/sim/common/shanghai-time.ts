/**
 * Partner clocks read Asia/Shanghai. China has kept UTC+8 without daylight saving since 1991,
 * so a fixed offset is exact and needs no time-zone database.
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

function shanghaiIso(instant: Date): string {
  // Shifting by the offset makes the UTC fields read as Shanghai wall-clock fields.
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString();
}

/** The instant as `yyyyMMddHHmmss` on a Shanghai wall clock (LianLian's `dt_order`, `timestamp`). */
export function formatShanghaiTimestamp(instant: Date): string {
  return shanghaiIso(instant).slice(0, 19).replace(/[-T:]/g, '');
}

/** The instant a Shanghai `yyyyMMddHHmmss` names, or undefined when it is not a real time. */
export function parseShanghaiTimestamp(text: string): Date | undefined {
  if (!/^\d{14}$/.test(text)) return undefined;
  const part = (from: number, to: number): string => text.slice(from, to);
  const instant = new Date(
    `${part(0, 4)}-${part(4, 6)}-${part(6, 8)}T${part(8, 10)}:${part(10, 12)}:${part(12, 14)}+08:00`,
  );
  // A round trip refuses impossible wall-clock times such as 20260230 or 25:00.
  return !Number.isNaN(instant.getTime()) && formatShanghaiTimestamp(instant) === text ? instant : undefined;
}

/** The Shanghai calendar date of an instant, `YYYY-MM-DD`. */
export function shanghaiDate(instant: Date): string {
  return shanghaiIso(instant).slice(0, 10);
}

/** The Shanghai calendar date of an instant, `yyyyMMdd` (LianLian's `settle_date`). */
export function shanghaiCompactDate(instant: Date): string {
  return shanghaiDate(instant).replace(/-/g, '');
}

function dateAtUtcMidnight(ymd: string): Date {
  return new Date(`${ymd}T00:00:00Z`);
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(ymd: string, days: number): string {
  return new Date(dateAtUtcMidnight(ymd).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` plus `months` calendar months, clamped to the last day of a shorter month. */
export function addMonths(ymd: string, months: number): string {
  const start = dateAtUtcMidnight(ymd);
  const firstOfTarget = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, 0)).getUTCDate();
  firstOfTarget.setUTCDate(Math.min(start.getUTCDate(), lastDay));
  return firstOfTarget.toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dateAtUtcMidnight(to).getTime() - dateAtUtcMidnight(from).getTime()) / DAY_MS);
}

/**
 * LianLian writes times as `yyyyMMddHHmmss` in Asia/Shanghai. China has kept UTC+8 without
 * daylight saving since 1991, so a fixed offset is exact and needs no time-zone database.
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The instant as `yyyyMMddHHmmss` on a Shanghai wall clock. */
export function formatShanghaiTimestamp(instant: Date): string {
  // Shifting by the offset makes the UTC fields read as Shanghai wall-clock fields.
  const iso = new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return iso.slice(0, 19).replace(/[-T:]/g, '');
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

/** How documents print dates, instants and terms in each language (Asia/Shanghai, the investor's clock). */
import type { DocumentLang } from './document';

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000; // UTC+8 all year: China keeps no daylight saving time

/** `2026-12-03` → `2026年12月03日` / `2026-12-03`. */
export function dateText(lang: DocumentLang, date: string): string {
  if (lang === 'en') return date;
  const [year, month, day] = date.split('-');
  return `${year}年${month}月${day}日`;
}

/** An ISO instant as Shanghai wall time: `2026-12-02 14:05:12（北京时间）` / `2026-12-02 14:05:12 (UTC+8)`. */
export function instantText(lang: DocumentLang, iso: string): string {
  const wall = new Date(new Date(iso).getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
  return lang === 'zh' ? `${wall}（北京时间）` : `${wall} (UTC+8)`;
}

/** `90 DAY` → `90天` / `90 days`. */
export function termText(lang: DocumentLang, term: { unit: 'DAY' | 'MONTH'; value: number }): string {
  if (lang === 'zh') return `${term.value}${term.unit === 'DAY' ? '天' : '个月'}`;
  const unit = term.unit === 'DAY' ? 'day' : 'month';
  return `${term.value} ${unit}${term.value === 1 ? '' : 's'}`;
}

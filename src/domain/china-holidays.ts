/**
 * China's public-holiday calendar as a yearly table: the days off (法定节假日 with the days bridged
 * to them) and the adjusted working days (调休上班, a Saturday or Sunday worked in exchange).
 * Amended each year when the State Council General Office publishes its notice (usually in November
 * for the year after); a year without a notice is marked provisional.
 */

/** One year of the calendar, with where its dates come from. */
export interface HolidayYear {
  year: number;
  /** Where the dates come from. */
  source: string;
  /** True while the year's notice is not published: the dates are the statutory days with the customary bridging. */
  provisional: boolean;
  /** Every day off, weekends inside a holiday run included, `YYYY-MM-DD`. */
  daysOff: readonly string[];
  /** Saturdays or Sundays that are working days, `YYYY-MM-DD`. */
  workingWeekendDays: readonly string[];
}

/** Every date from `from` to `to` (inclusive, both in one month of one year). */
function run(from: string, to: string): string[] {
  const prefix = from.slice(0, 8);
  const days: string[] = [];
  for (let day = Number(from.slice(8)); day <= Number(to.slice(8)); day += 1) {
    days.push(`${prefix}${String(day).padStart(2, '0')}`);
  }
  return days;
}

/** The calendar by year; years not listed know weekends only (see business-days.ts). */
export const CHINA_HOLIDAYS: readonly HolidayYear[] = [
  {
    year: 2026,
    source: '国务院办公厅关于2026年部分节假日安排的通知 (State Council General Office notice on the 2026 holidays)',
    provisional: false,
    daysOff: [
      ...run('2026-01-01', '2026-01-03'), // 元旦
      ...run('2026-02-15', '2026-02-23'), // 春节
      ...run('2026-04-04', '2026-04-06'), // 清明节
      ...run('2026-05-01', '2026-05-05'), // 劳动节
      ...run('2026-06-19', '2026-06-21'), // 端午节
      ...run('2026-09-25', '2026-09-27'), // 中秋节
      ...run('2026-10-01', '2026-10-07'), // 国庆节
    ],
    workingWeekendDays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
  {
    year: 2027,
    source:
      'provisional: the statutory days of 全国年节及纪念日放假办法 (2024 revision) with the customary bridging ' +
      '(Spring Festival from New Year’s Eve for eight days, Labour Day five days, National Day seven days); ' +
      'replace with the State Council General Office notice for 2027 once published',
    provisional: true,
    daysOff: [
      '2027-01-01', // 元旦
      ...run('2027-02-05', '2027-02-12'), // 春节 (除夕 2027-02-05)
      ...run('2027-04-03', '2027-04-05'), // 清明节 (2027-04-05)
      ...run('2027-05-01', '2027-05-05'), // 劳动节
      '2027-06-09', // 端午节
      '2027-09-15', // 中秋节
      ...run('2027-10-01', '2027-10-07'), // 国庆节
    ],
    // Unknown until the notice: without them a payout can only fall later than the final calendar has it, never on a day off.
    workingWeekendDays: [],
  },
];

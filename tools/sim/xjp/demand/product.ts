/**
 * XJP's demand product (活期) as the simulator sells it, and its published figure: a deterministic
 * function of the date, so any test can know the figure of any day without asking.
 */

/** The terms of a demand product. */
export interface SimDemandProduct {
  productCode: string;
  name: string;
  minAmountFen: number;
  /** What one member may hold and have on its way in (per-member holding cap). */
  holdingCapFen: number;
  /** Fast (T+0) redemptions one member may make per Shanghai natural day. */
  fastRedemptionDailyLimitFen: number;
  /** The daily cut-off on a Shanghai wall clock. */
  cutOff: '15:00';
}

/** The one demand product seeded. */
export const SIM_DEMAND_PRODUCT: SimDemandProduct = {
  productCode: 'XJPHQ01',
  name: '小金票活期宝',
  minAmountFen: 100,
  holdingCapFen: 50_000_000,
  fastRedemptionDailyLimitFen: 1_000_000,
  cutOff: '15:00',
};

const DAY_MS = 24 * 3600 * 1000;
/** Published income per 10,000 fen in ten-thousandths of a fen: 0.4000–0.6499 fen a day (≈ 1.46–2.37 % a year). */
const FLOOR_PER_10K = 4_000;
const SPREAD_PER_10K = 2_500;

function epochDay(date: string): number {
  return Math.round(new Date(`${date}T00:00:00Z`).getTime() / DAY_MS);
}

/** Income per 10,000 fen on `date`, in ten-thousandths of a fen (a multiplicative hash of the day). */
export function incomePer10kTenThousandths(date: string): number {
  return FLOOR_PER_10K + ((Math.imul(epochDay(date), 2_654_435_761) >>> 0) % SPREAD_PER_10K);
}

function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The figure XJP publishes for `date`: exact decimal strings. */
export function simDemandFigure(date: string): { date: string; incomePer10kFen: string; sevenDayYield: string } {
  const per10k = incomePer10kTenThousandths(date);
  let weekSum = 0n;
  for (let back = 0; back < 7; back++) weekSum += BigInt(incomePer10kTenThousandths(isoDate(epochDay(date) - back)));
  // yield = Σ7 (n / 10⁴) / 7 × 365 / 10⁴, to six decimals, half up: (Σ7 × 365 × 10⁶) / (7 × 10⁸).
  const numerator = weekSum * 365n * 1_000_000n;
  const denominator = 7n * 100_000_000n;
  const micro = (numerator * 2n + denominator) / (2n * denominator);
  return {
    date,
    incomePer10kFen: `${Math.floor(per10k / 10_000)}.${String(per10k % 10_000).padStart(4, '0')}`,
    sevenDayYield: `${micro / 1_000_000n}.${String(micro % 1_000_000n).padStart(6, '0')}`,
  };
}

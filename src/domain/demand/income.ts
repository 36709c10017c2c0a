import { InvalidDemandFigureError, describeValue } from '../errors';
import { parseFen } from '../money';

/** Up to eight decimal places: XJP publishes four; more would be a different product. */
const PLAIN_DECIMAL = /^(\d{1,3})(?:\.(\d{1,8}))?$/;
/** Income per 10,000 fen beyond this (≈ 36% a year) is a wrong figure, not a market. */
const MAX_INCOME_PER_10K_FEN = 10;

/** A day's published figure of a demand product, both exact decimal strings. */
export interface DemandFigure {
  /** Natural day `YYYY-MM-DD` (Asia/Shanghai) the figure is for. */
  date: string;
  /** Income of 10,000 fen held that whole day, in fen (万份收益), e.g. "0.4932". */
  incomePer10kFen: string;
  /** The 7-day annualised yield as a fraction (七日年化), e.g. "0.018003" for 1.8003%. */
  sevenDayYield: string;
}

interface ScaledDecimal {
  digits: bigint;
  scale: bigint;
}

function parseDecimal(value: unknown, name: string): ScaledDecimal {
  const match = typeof value === 'string' ? PLAIN_DECIMAL.exec(value) : null;
  if (!match) throw new InvalidDemandFigureError(`${name} must be a plain decimal string: ${describeValue(value)}`);
  const fraction = match[2] ?? '';
  return { digits: BigInt(`${match[1]}${fraction}`), scale: 10n ** BigInt(fraction.length) };
}

/** Checks a published figure: both parts plain decimals, income per 10,000 fen in range. */
export function parseDemandFigure(figure: DemandFigure): DemandFigure {
  const income = parseDecimal(figure.incomePer10kFen, 'incomePer10kFen');
  parseDecimal(figure.sevenDayYield, 'sevenDayYield');
  if (income.digits > BigInt(MAX_INCOME_PER_10K_FEN) * income.scale)
    throw new InvalidDemandFigureError(
      `income per 10,000 fen above ${MAX_INCOME_PER_10K_FEN}: ${figure.incomePer10kFen}`,
    );
  return figure;
}

/**
 * One day's income of a holding: confirmed units (1 unit = 1 fen) × the day's income per 10,000
 * fen ÷ 10,000, floored to the fen. The remainder below one fen is not carried to the next day and
 * not paid: it stays with the product, as XJP's statement computes it. Exact in BigInt.
 */
export function dailyIncomeFen(unitsFen: number, incomePer10kFen: string): number {
  parseFen(unitsFen);
  const { digits, scale } = parseDecimal(incomePer10kFen, 'incomePer10kFen');
  return Number((BigInt(unitsFen) * digits) / (10_000n * scale));
}

/** Summaries of repeated measurements: the median, and the spread around it. */

/** The median, minimum, maximum and relative spread ((max − min) / median) of some samples. */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly spread: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('no samples to summarize');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  return { n: sorted.length, median, min, max, spread: median === 0 ? 0 : (max - min) / median };
}

/** Rounds for display and JSON: benchmark figures are noisy well before the third decimal. */
export function round(value: number, decimals = 2): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** The p-th percentile (0 < p ≤ 100) by nearest rank: a value that was measured, never an interpolation. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new RangeError('no samples for a percentile');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** A least-squares line through points: `y ≈ intercept + slope × x`. */
export interface LinearFit {
  readonly slope: number;
  readonly intercept: number;
  readonly points: number;
}

export function linearFit(points: ReadonlyArray<{ readonly x: number; readonly y: number }>): LinearFit {
  if (points.length < 2) throw new RangeError('a line needs at least two points');
  const n = points.length;
  const meanX = points.reduce((s, p) => s + p.x, 0) / n;
  const meanY = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - meanX) ** 2, 0);
  if (sxx === 0) throw new RangeError('a line needs at least two different x');
  const sxy = points.reduce((s, p) => s + (p.x - meanX) * (p.y - meanY), 0);
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX, points: n };
}

/** Every request the suite sends goes through here, so what the API answered is counted in one place. */

/** How long an answer may take before it counts as a hang (the purchase itself waits up to 20 s for XJP). */
export const HANG_MS = 30_000;

/** The tally of answers by status, plus the requests that never answered. */
export class Tally {
  readonly byStatus = new Map<number, number>();
  readonly codes5xx = new Map<string, number>();
  hangs = 0;
  /** Refused connections (the API process was down): the caller retries; not an answer. */
  refused = 0;

  get http5xx(): number {
    return [...this.byStatus].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
  }

  /** 5xx other than a 503 with a code: a 503 TEMPORAL_UNAVAILABLE during an outage is the contract. */
  get unexpected5xx(): number {
    return [...this.codes5xx]
      .filter(([key]) => !/^503 (TEMPORAL_UNAVAILABLE|DATABASE_UNAVAILABLE|PARTNER_UNAVAILABLE)$/.test(key))
      .reduce((sum, [, n]) => sum + n, 0);
  }

  record(status: number, code: string | undefined): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    if (status >= 500) {
      const key = `${status} ${code ?? '-'}`;
      this.codes5xx.set(key, (this.codes5xx.get(key) ?? 0) + 1);
    }
  }

  summary(): string {
    const statuses = [...this.byStatus]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    const fives = [...this.codes5xx].map(([k, n]) => `${k}×${n}`).join(', ');
    return `${statuses}${fives ? ` (5xx: ${fives})` : ''} hangs=${this.hangs} refused=${this.refused}`;
  }
}

/** One answer: status and parsed body (undefined when not JSON); status 0 when none came. */
export interface Answer {
  status: number;
  body: unknown;
}

function errorCode(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** Sends a request, counting its answer (or its hang) in `tally`. */
export async function send(tally: Tally, url: string, init: RequestInit): Promise<Answer> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(HANG_MS) });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    tally.record(response.status, errorCode(body));
    return { status: response.status, body };
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) tally.hangs += 1;
    else tally.refused += 1;
    return { status: 0, body: undefined };
  }
}

/** Runs `work` over `items` with at most `concurrency` at a time. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        await work(items[index] as T, index);
      }
    }),
  );
}

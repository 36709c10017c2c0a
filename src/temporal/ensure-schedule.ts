import { ScheduleAlreadyRunning, ServiceError, type Client, type ScheduleOptions } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';

/** gRPC codes of a server that did not answer in time or could not be reached: worth asking again. */
const TRANSIENT_GRPC_CODES = new Set([4, 14]);
/** Attempts in all, with 1 s, 2 s, 4 s between them: a slow server gets a few seconds, never minutes. */
const ATTEMPTS = 4;

/**
 * Creates a Schedule, or brings an existing one to these options (spec, action, policies): safe to
 * call on every start. Returns the schedule id. Describing an existing Schedule queries its scheduler
 * run, which a server just restarted (or busy) may not answer in time: that is asked again a few
 * times before the start fails.
 */
export async function ensureSchedule(client: Client, wanted: ScheduleOptions): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await createOrUpdate(client, wanted);
      return wanted.scheduleId;
    } catch (err) {
      if (attempt >= ATTEMPTS || !isTransient(err)) throw err;
      await delay(1000 * 2 ** (attempt - 1));
    }
  }
}

async function createOrUpdate(client: Client, wanted: ScheduleOptions): Promise<void> {
  try {
    await client.schedule.create(wanted);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(wanted.scheduleId).update((current) => ({
      ...current,
      spec: wanted.spec,
      action: wanted.action,
      policies: { ...current.policies, ...wanted.policies },
    }));
  }
}

function isTransient(err: unknown): boolean {
  if (!(err instanceof ServiceError)) return false;
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' && TRANSIENT_GRPC_CODES.has(code);
}

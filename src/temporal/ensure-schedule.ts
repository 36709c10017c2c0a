import { ScheduleAlreadyRunning, type Client, type ScheduleOptions } from '@temporalio/client';

/**
 * Creates a Schedule, or brings an existing one to these options (spec, action, policies): safe to
 * call on every start. Returns the schedule id.
 */
export async function ensureSchedule(client: Client, wanted: ScheduleOptions): Promise<string> {
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
  return wanted.scheduleId;
}

import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { Router } from 'express';

/** A dependency's state as /readyz tells it: no error text, which could name hosts, users or versions. */
type CheckState = 'ok' | 'down';

/** How long `/readyz` waits for each dependency: a probe must answer within a second. */
const CHECK_TIMEOUT_MS = 800;

/** Resolves 'down' when the probe fails or takes longer than {@link CHECK_TIMEOUT_MS}. */
async function probeWithin(probe: () => Promise<unknown>): Promise<{ state: CheckState; err?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ state: CheckState; err: unknown }>((resolve) => {
    timer = setTimeout(
      () => resolve({ state: 'down', err: new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`) }),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([
      probe().then(
        () => ({ state: 'ok' as const }),
        (err: unknown) => ({ state: 'down' as const, err }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz` (the process answers) and `/readyz` (PostgreSQL and Temporal answer too, each within
 * {@link CHECK_TIMEOUT_MS}), and the process is not stopping: from SIGTERM on it answers 503 so no new
 * traffic is routed to it. An open probe says which dependency is down, never why; the reason goes to the log.
 */
export function healthRoutes(
  orm: MikroORM,
  temporal: Client,
  onCheckFailed: (dependency: string, err: unknown) => void,
  isDraining: () => boolean = () => false,
): Router {
  const router = Router();
  const check = async (dependency: string, probe: () => Promise<unknown>): Promise<CheckState> => {
    const { state, err } = await probeWithin(probe);
    if (state === 'down') onCheckFailed(dependency, err);
    return state;
  };
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (isDraining()) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    const [database, temporalServer] = await Promise.all([
      check('database', () => orm.em.fork().execute('select 1')),
      check('temporal', () => temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const checks = { database, temporal: temporalServer };
    const down = Object.entries(checks)
      .filter(([, state]) => state === 'down')
      .map(([dependency]) => dependency);
    res
      .status(down.length === 0 ? 200 : 503)
      .json({ status: down.length === 0 ? 'ok' : 'unavailable', checks, ...(down.length > 0 ? { down } : {}) });
  });
  return router;
}

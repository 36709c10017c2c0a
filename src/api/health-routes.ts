import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { Router } from 'express';

/** How long `/readyz` waits for each dependency: a probe must answer within a second. */
const CHECK_TIMEOUT_MS = 800;

/** 'ok', or why not, without the driver's own words (they may name hosts and users). */
async function check(probe: () => Promise<unknown>): Promise<'ok' | 'unreachable' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe().then(() => 'ok' as const, () => 'unreachable' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `/healthz` (the process answers) and `/readyz` (PostgreSQL and Temporal answer too, each within {@link CHECK_TIMEOUT_MS}). */
export function healthRoutes(orm: MikroORM, temporal: Client): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, temporalServer] = await Promise.all([
      check(() => orm.em.fork().execute('select 1')),
      check(() => temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const ready = database === 'ok' && temporalServer === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks: { database, temporal: temporalServer } });
  });
  return router;
}

import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { Router } from 'express';

/** A dependency's state as /readyz tells it: no error text, which could name hosts, users or versions. */
type CheckState = 'ok' | 'down';

/**
 * `/healthz` (the process answers) and `/readyz` (PostgreSQL and Temporal answer too). An open
 * probe says which dependency is down, never why; the reason goes to the log.
 */
export function healthRoutes(orm: MikroORM, temporal: Client, onCheckFailed: (dependency: string, err: unknown) => void): Router {
  const router = Router();
  const check = (dependency: string, probe: () => Promise<unknown>): Promise<CheckState> =>
    probe().then(
      () => 'ok',
      (err: unknown) => {
        onCheckFailed(dependency, err);
        return 'down';
      },
    );
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, temporalServer] = await Promise.all([
      check('database', () => orm.em.fork().execute('select 1')),
      check('temporal', () => temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const checks = { database, temporal: temporalServer };
    const down = Object.entries(checks).filter(([, state]) => state === 'down').map(([dependency]) => dependency);
    res.status(down.length === 0 ? 200 : 503).json({ status: down.length === 0 ? 'ok' : 'unavailable', checks, ...(down.length > 0 ? { down } : {}) });
  });
  return router;
}

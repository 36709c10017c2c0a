import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { Router } from 'express';

/**
 * `/healthz` (the process answers) and `/readyz` (PostgreSQL and Temporal answer too, and the
 * process is not stopping: from SIGTERM on it answers 503 so no new traffic is routed to it).
 */
export function healthRoutes(orm: MikroORM, temporal: Client, isDraining: () => boolean = () => false): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (isDraining()) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    const [database, temporalServer] = await Promise.all([
      orm.em.fork().execute('select 1').then(() => 'ok', (err: unknown) => `unreachable: ${String(err)}`),
      temporal.connection.workflowService.getSystemInfo({}).then(() => 'ok', (err: unknown) => `unreachable: ${String(err)}`),
    ]);
    const ready = database === 'ok' && temporalServer === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks: { database, temporal: temporalServer } });
  });
  return router;
}

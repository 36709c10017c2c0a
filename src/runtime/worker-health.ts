import { createServer, type Server } from 'node:http';
import type { Worker } from '@temporalio/worker';

/** Worker states in which the process is still of use: starting, polling, or finishing its tasks. */
const LIVE_STATES: ReadonlySet<string> = new Set(['INITIALIZED', 'RUNNING', 'STOPPING', 'DRAINING', 'DRAINED']);

/**
 * The worker process's probes: `/healthz` answers 200 while the worker is alive (also while it
 * finishes its in-flight tasks after SIGTERM), 503 once it failed; `/readyz` answers 200 only while
 * it polls for new tasks. The worker serves no HTTP otherwise, so an orchestrator needs this port.
 */
export function createWorkerHealthServer(worker: Pick<Worker, 'getState'>): Server {
  return createServer((req, res) => {
    const state = worker.getState();
    const ok =
      req.url === '/healthz' ? LIVE_STATES.has(state) : req.url === '/readyz' ? state === 'RUNNING' : undefined;
    if (ok === undefined) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no such route' } }));
      return;
    }
    res
      .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', worker: state }));
  });
}

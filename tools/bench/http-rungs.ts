/**
 * The HTTP ladder's baseline servers, each one layer more than the last: bare `node:http`, bare
 * Express (JSON body parsed), Express starting an empty workflow, Express doing update-with-start
 * of a workflow whose Update completes at once. The last rung, POST /v1/purchases, is the engine's
 * own API. Each answers 201 with a small JSON body, as the API does.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import express from 'express';
import { BARE_TASK_QUEUE } from './fixtures/bare-worker';
import { doneUpdate, type emptyWorkflow, type trivialUpdateWorkflow } from './fixtures/ladder-workflows';

/** The rungs, bottom to top. */
export const RUNGS = ['node:http', 'express', 'workflow.start', 'update-with-start', 'POST /v1/purchases'] as const;
export type Rung = (typeof RUNGS)[number];

/** A baseline server listening on 127.0.0.1. */
export interface RungServer {
  readonly url: string;
  close(): Promise<void>;
}

function listen(server: Server): Promise<RungServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** The bottom rung: Node's HTTP server reads the body and answers. */
function bareHttpServer(): Promise<RungServer> {
  return listen(
    createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    }),
  );
}

/** Express with the JSON body parser the API uses, and a handler `answer` fills in. */
function expressServer(answer: () => Promise<Record<string, unknown>>): Promise<RungServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '32kb' }));
  app.post('/', async (_req, res) => {
    res.status(201).json(await answer());
  });
  return listen(createServer(app));
}

/** The four baseline servers, and a wait for the runs the start rung left to the worker. */
export interface RungServers {
  readonly servers: Record<Exclude<Rung, 'POST /v1/purchases'>, RungServer>;
  /**
   * Resolves once every workflow the workflow.start rung started has completed. The rung answers as
   * soon as a run is started, so it leaves a backlog of workflow tasks; the next rung would
   * otherwise be measured while the worker still drains it.
   */
  drainStarted(): Promise<void>;
}

/** Runs awaited at once while draining: enough to keep the worker busy, few enough for the client. */
const DRAIN_PARALLEL = 32;

/** Starts the four baseline servers against `client` (the bench's bare worker runs their workflows). */
export async function startRungServers(client: Client): Promise<RungServers> {
  const started: RungServer[] = [];
  const undrained: string[] = [];
  try {
    const bare = await bareHttpServer();
    started.push(bare);
    const plain = await expressServer(async () => ({ ok: true }));
    started.push(plain);
    const start = await expressServer(async () => {
      const handle = await client.workflow.start<typeof emptyWorkflow>('emptyWorkflow', {
        taskQueue: BARE_TASK_QUEUE,
        workflowId: `bench-start-${randomUUID()}`,
      });
      undrained.push(handle.workflowId);
      return { workflowId: handle.workflowId };
    });
    started.push(start);
    const updateWithStart = await expressServer(async () => {
      const startWorkflowOperation = new WithStartWorkflowOperation<typeof trivialUpdateWorkflow>(
        'trivialUpdateWorkflow',
        {
          taskQueue: BARE_TASK_QUEUE,
          workflowId: `bench-uws-${randomUUID()}`,
          workflowIdConflictPolicy: 'USE_EXISTING',
        },
      );
      return { answer: await client.workflow.executeUpdateWithStart(doneUpdate, { startWorkflowOperation }) };
    });
    started.push(updateWithStart);
    return {
      servers: { 'node:http': bare, express: plain, 'workflow.start': start, 'update-with-start': updateWithStart },
      async drainStarted() {
        const ids = undrained.splice(0);
        await Promise.all(
          Array.from({ length: DRAIN_PARALLEL }, async () => {
            for (let id = ids.pop(); id !== undefined; id = ids.pop()) await client.workflow.result(id);
          }),
        );
      },
    };
  } catch (err) {
    await Promise.all(started.map((s) => s.close()));
    throw err;
  }
}

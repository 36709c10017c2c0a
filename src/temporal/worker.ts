import { NativeConnection, Worker } from '@temporalio/worker';
import type { WorkerActivities } from '../../activities';
import { purchaseWorkflowBundle } from './workflow-bundle';

/** What a purchase worker needs: a connection to Temporal and the activities built from their dependencies. */
export interface PurchaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: WorkerActivities;
  /**
   * Workflow runs kept in memory between tasks (the SDK's sticky cache). 0 makes every task replay
   * from history: what a test of a worker crash needs on the time-skipping server, which never
   * times out a dead worker's sticky queue.
   */
  maxCachedWorkflows?: number;
}

/** Creates the worker that runs purchase workflows and their activities on one task queue. */
export async function createPurchaseWorker(options: PurchaseWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await purchaseWorkflowBundle(),
    activities: options.activities,
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
  });
}

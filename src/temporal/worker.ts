import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { WorkerActivities } from '../../activities';
import type { Config } from '../config/config';
import type { Tracing } from '../observability/tracing';
import { engineActivityInterceptors, workflowTracingSinks } from './interceptors';
import { purchaseWorkflowBundle } from './workflow-bundle';

/** How a deployed worker is sized and stopped (config TEMPORAL_WORKER_*); tests keep the SDK's defaults. */
export interface WorkerTuning {
  maxConcurrentActivityTaskExecutions: number;
  maxConcurrentWorkflowTaskExecutions: number;
  maxCachedWorkflows: number;
  /** In-flight activities finish within this after a stop is asked; the SDK's default (0) cancels them at once. */
  shutdownGraceTimeMs: number;
  /** After the grace time, how long cancelled activities get before the worker stops regardless. */
  shutdownForceTimeMs: number;
  identity?: string;
}

/** The worker's tuning from the configuration. */
export function workerTuning(config: Config): WorkerTuning {
  return {
    maxConcurrentActivityTaskExecutions: config.TEMPORAL_WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: config.TEMPORAL_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxCachedWorkflows: config.TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS,
    shutdownGraceTimeMs: config.TEMPORAL_WORKER_SHUTDOWN_GRACE_MS,
    shutdownForceTimeMs: config.TEMPORAL_WORKER_SHUTDOWN_FORCE_MS,
    ...(config.TEMPORAL_WORKER_IDENTITY === undefined ? {} : { identity: config.TEMPORAL_WORKER_IDENTITY }),
  };
}

/** What a purchase worker needs: a connection to Temporal and the activities built from their dependencies. */
export interface PurchaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: WorkerActivities;
  /** The client's data converter (src/temporal/data-converter.ts): both sides must encrypt alike. */
  dataConverter?: DataConverter;
  tuning?: Partial<WorkerTuning>;
  /** The process's tracing (src/observability/tracing.ts): workflow spans go to its processor; none when off. */
  tracing?: Tracing;
  /**
   * Workflow runs kept in memory between tasks (the SDK's sticky cache). 0 makes every task replay
   * from history: what a test of a worker crash needs on the time-skipping server, which never
   * times out a dead worker's sticky queue.
   */
  maxCachedWorkflows?: number;
}

/** Creates the worker that runs purchase workflows and their activities on one task queue. */
export async function createPurchaseWorker(options: PurchaseWorkerOptions): Promise<Worker> {
  const { shutdownGraceTimeMs, shutdownForceTimeMs, ...tuning } = options.tuning ?? {};
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await purchaseWorkflowBundle(),
    activities: options.activities,
    interceptors: { activity: engineActivityInterceptors() },
    sinks: workflowTracingSinks(options.tracing),
    ...(options.dataConverter === undefined ? {} : { dataConverter: options.dataConverter }),
    ...tuning,
    ...(shutdownGraceTimeMs === undefined ? {} : { shutdownGraceTime: shutdownGraceTimeMs }),
    // The SDK counts its force time from the stop, not from the end of the grace time: added to the
    // grace, or a force time shorter than the grace would end the worker under its running activities.
    ...(shutdownForceTimeMs === undefined
      ? {}
      : { shutdownForceTime: (shutdownGraceTimeMs ?? 0) + shutdownForceTimeMs }),
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
  });
}

import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/** The bundler's logger: its progress chatter dropped, its warnings and errors kept. */
export const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: console.warn,
  error: console.error,
};

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles `workflows/` once per process; every worker (and every test) reuses the same bundle. */
export function purchaseWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, '../../workflows/index.ts'),
    logger: quietBundlerLogger,
  });
  return bundle;
}

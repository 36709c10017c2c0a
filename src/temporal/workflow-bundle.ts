import { existsSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, type BundleOptions, type WorkflowBundleOption } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from './data-converter';
import { WORKFLOW_INTERCEPTOR_MODULES } from './interceptors';

/** The bundler's logger: its progress chatter dropped, its warnings and errors kept. */
export const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: console.warn,
  error: console.error,
};

/**
 * Where `npm run build` writes the bundle: `dist/workflow-bundle.js`, beside the compiled tree
 * (this module compiles to `dist/src/temporal/`).
 */
export const PREBUILT_BUNDLE_PATH = path.resolve(__dirname, '../../workflow-bundle.js');

/** Compiled JavaScript runs the prebuilt bundle; TypeScript (tsx, jest) bundles its own sources. */
const runningCompiled = path.extname(__filename) === '.js';

/** What goes into the bundle: the workflows, their interceptors and the failure converter the sandbox uses. */
export function workflowBundleOptions(): BundleOptions {
  return {
    workflowsPath: require.resolve('../../workflows'),
    workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES],
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: quietBundlerLogger,
  };
}

/** Bundles the workflows now: what `npm run build` writes to disk, and what tests and `npm run dev` use in memory. */
export function bundleWorkflows(): ReturnType<typeof bundleWorkflowCode> {
  return bundleWorkflowCode(workflowBundleOptions());
}

let bundle: Promise<WorkflowBundleOption> | undefined;

/**
 * The purchase workflows for a worker or a replay, once per process. A compiled process loads the
 * bundle `npm run build` made (no webpack at start-up, and the code that runs is the code that was
 * built); one running from TypeScript sources bundles them, so edits show without a build.
 */
export function purchaseWorkflowBundle(): Promise<WorkflowBundleOption> {
  bundle ??= runningCompiled ? prebuiltBundle() : bundleWorkflows();
  return bundle;
}

async function prebuiltBundle(): Promise<WorkflowBundleOption> {
  if (!existsSync(PREBUILT_BUNDLE_PATH))
    throw new Error(`no workflow bundle at ${PREBUILT_BUNDLE_PATH}: run npm run build`);
  return { codePath: PREBUILT_BUNDLE_PATH };
}

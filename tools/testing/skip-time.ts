/**
 * Moving a time-skipping server's clock in measured steps. Waiting on a result through env.client
 * unlocks skipping, and with nothing else pending this server then leaps to the ten-year execution
 * timeouts: every order bought afterwards is past its maturity before it is paid. Steps keep the
 * clock near the simulators' real dates.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Skips `firstMs`, then day by day (at most `maxDays`) until the run has closed, and returns its
 * result through `client`, which never unlocks skipping.
 */
export async function skipUntilClosed<T>(
  env: TestWorkflowEnvironment,
  client: Client,
  workflowId: string,
  options: { firstMs: number; stepMs?: number; maxSteps?: number },
): Promise<T> {
  const handle = client.workflow.getHandle(workflowId);
  await env.sleep(options.firstMs);
  const stepMs = options.stepMs ?? DAY_MS;
  for (let step = 0; step < (options.maxSteps ?? 30); step++) {
    if ((await handle.describe()).status.name !== 'RUNNING') break;
    await env.sleep(stepMs);
  }
  return (await handle.result()) as T;
}

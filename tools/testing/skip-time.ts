/**
 * Moving a time-skipping server's clock in measured steps. Waiting on a result through env.client
 * unlocks skipping, and with nothing else pending this server then leaps to the ten-year execution
 * timeouts: every order bought afterwards is past its maturity before it is paid. Steps keep the
 * clock near the simulators' real dates.
 */
import { WorkflowNotFoundError } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import { payoutStateQuery, payoutWorkflowId } from '../../workflows/payout/contract';
import { waitForState } from './wait';

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

/**
 * Waits in real time, the server's clock held, until no payout of `orderNos` waits for LianLian's
 * result. A payout waits on a notification or a ten-minute query timer, and cancels the timer when
 * the notification comes; the time-skipping server refuses a task that cancels a timer its skip
 * fired meanwhile and never gives the run another task (sdk-java #2606, #3088). So a test lets
 * the simulator's notifications land before it skips time past a payout.
 */
export async function untilPayoutsAnswered(client: Client, orderNos: readonly string[]): Promise<void> {
  for (const orderNo of orderNos) {
    const handle = client.workflow.getHandle(payoutWorkflowId(orderNo));
    await waitForState(
      async () => {
        try {
          const { status } = await handle.describe();
          return status.name === 'RUNNING' ? (await handle.query(payoutStateQuery)).awaiting : 'CLOSED';
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) return 'NOT_STARTED';
          throw err;
        }
      },
      (awaiting) => awaiting !== 'PAYOUT_RESULT',
    );
  }
}

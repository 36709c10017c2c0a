/**
 * POST /v1/purchases never hangs on a run no worker is processing: the run is started at once and
 * the answer is 202 with the order CREATED after the API's bound; once a worker is back, the same
 * request (same Idempotency-Key) answers 200 with the payment link, on the same order and run.
 */
import { randomUUID } from 'node:crypto';
import { purchaseStateQuery, purchaseWorkflowId } from '../../workflows/purchase/contract';
import { useTestEngine } from '../../tools/testing/engine';
import { buy, purchaseBody } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const running = useTestEngine({ withoutWorker: true, purchaseAnswerWithinMs: 1_000 });

test('with no worker the purchase answers 202 CREATED with its run started; with one back, the retry answers 200 SUBSCRIBED on the same run', async () => {
  const key = `idem-${randomUUID()}`;
  const body = purchaseBody('XJP-P-0002', 1_000_000);

  const first = await buy(running.engine, body, key);
  expect(first.status).toBe(202);
  expect(first.body).toMatchObject({ status: 'CREATED' });
  const orderNo = first.body.orderNo as string;
  const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  const { runId, status } = await handle.describe();
  expect(status.name).toBe('RUNNING');

  await running.engine.restartWorker();
  await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.status === 'SUBSCRIBED',
  );
  const retried = await buy(running.engine, body, key);
  expect(retried.status).toBe(200);
  expect(retried.body).toMatchObject({ orderNo, status: 'SUBSCRIBED', paymentUrl: expect.any(String) });
  expect((await handle.describe()).runId).toBe(runId);
});

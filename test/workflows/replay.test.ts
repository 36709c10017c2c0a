/**
 * Replays recorded purchase histories (test/histories/*.json, written by tools/scripts/record-histories.ts)
 * against the current workflow bundle: any change to workflows/ that would break a run in flight
 * fails here as a DeterminismViolationError instead of in production. Until the first release a
 * deliberate change re-records instead (docs/architecture.md#workflow-versioning-before-the-first-release).
 *
 * Before the first release (now) nothing but these fixtures holds a history, so a deliberate change
 * is made in plain code and the histories are re-recorded (docs/workflow-versioning.md).
 *
 * Changing released workflow behaviour: keep the old path for runs already in flight and put the
 * new one behind a patch, e.g.
 *
 *   if (patched('redeem-before-matured')) { await partner.redeemAtXjp(…); await moveTo('MATURED', …); }
 *   else { await moveTo('MATURED', …); await partner.redeemAtXjp(…); }
 *
 * The histories here then still replay (they take the old branch). Once no run that started
 * before the patch is open, replace `patched` with `deprecatePatch('<same id>')` and drop the old
 * branch; after those runs are gone too, remove the call. Re-record the histories (and commit
 * them) when a scenario's path changes on purpose, and add a recording for each new path a patch
 * opens; never re-record to make this test pass after an unversioned change.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { workflowTracingSinks } from '../../src/temporal/interceptors';
import { purchaseWorkflowBundle } from '../../src/temporal/workflow-bundle';
import { workflowBundleSkippingRedeem } from './fixtures/altered-workflow-bundle';
import { historyFromJson } from './fixtures/history-json';

const HISTORIES_DIR = path.resolve(__dirname, '../histories');

async function loadHistory(file: string) {
  return historyFromJson(JSON.parse(await readFile(path.join(HISTORIES_DIR, file), 'utf8')));
}

async function historyFiles(): Promise<string[]> {
  return (await readdir(HISTORIES_DIR)).filter((f) => f.endsWith('.json')).sort();
}

test('the recorded histories cover completion, a paid payout, an early redemption, expiry, rejection, a year of accrual to maturity and a night of the accrual batch', async () => {
  expect(await historyFiles()).toEqual(
    expect.arrayContaining([
      'accrual-365-day-matured.json',
      'accrual-posting-night.json',
      'completed-30-day.json',
      'early-redeemed.json',
      'expired-unpaid.json',
      'payout-paid.json',
      'rejected-product-ended.json',
    ]),
  );
});

test('every recorded history replays against the current workflow code without non-determinism', async () => {
  const workflowBundle = await purchaseWorkflowBundle();
  for (const file of await historyFiles()) {
    const history = await loadHistory(file);
    expect(history.events?.length).toBeGreaterThan(0);
    await expect(
      Worker.runReplayHistory({ workflowBundle, replayName: file, sinks: workflowTracingSinks(undefined) }, history),
    ).resolves.toBeUndefined();
  }
});

test('replaying a completed history against workflow code that skips the XJP redemption fails as non-deterministic', async () => {
  const workflowBundle = await workflowBundleSkippingRedeem();
  const history = await loadHistory('completed-30-day.json');
  await expect(
    Worker.runReplayHistory({ workflowBundle, replayName: 'skipping-redeem' }, history),
  ).rejects.toBeInstanceOf(DeterminismViolationError);
});

test('the altered workflow code still replays a history that never reached redemption, so the failure above is the redemption', async () => {
  const workflowBundle = await workflowBundleSkippingRedeem();
  await expect(
    Worker.runReplayHistory(
      { workflowBundle, replayName: 'skipping-redeem-expired' },
      await loadHistory('expired-unpaid.json'),
    ),
  ).resolves.toBeUndefined();
});

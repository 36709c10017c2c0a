/**
 * The early-redemption routes over real HTTP on a running engine: member identity, field-level 400s
 * and the validators' refusals with their stable codes. The redemptions themselves, day by day, are
 * in test/workflows/purchase-early-redemption.test.ts.
 */
import { purchaseStateQuery, purchaseWorkflowId } from '../../workflows/purchase/contract';
import { TEST_API_KEY, useTestEngine } from '../../tools/testing/engine';
import { asPlatformFor, buy, earlyRedemptionCall, payAtCashier, purchaseBody } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const running = useTestEngine();

/** Buys for M10001; paid orders are waited for until they accrue. */
async function order(productId: string, amountFen: number, paid: boolean): Promise<string> {
  const created = await buy(running.engine, purchaseBody(productId, amountFen));
  expect(created.status).toBe(201);
  const orderNo = created.body.orderNo as string;
  if (paid) {
    await payAtCashier(created.body.paymentUrl as string);
    await waitForState(
      () => running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).query(purchaseStateQuery),
      (s) => s.status === 'ACCRUING',
    );
  }
  return orderNo;
}

let unpaid = '';
let heldToMaturity = '';
let principalFee = '';

beforeAll(async () => {
  unpaid = await order('XJP-P-0002', 1_000_000, false);
  heldToMaturity = await order('XJP-P-0001', 1_100_000, true);
  principalFee = await order('XJP-P-0003', 1_200_000, true);
});

test('a confirmation without a usable quoteId is refused 400 with field-level messages, before the workflow is asked', async () => {
  for (const body of [{}, { quoteId: 42 }, { quoteId: '' }, { quoteId: 'Q1', extra: true }]) {
    const answer = await earlyRedemptionCall(running.engine, principalFee, 'confirm', body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        fields: [expect.objectContaining({ field: expect.stringMatching(/^body/) })],
      },
    });
  }
});

test('both routes need the member token of the order’s member: none is 401, another member’s order is 404', async () => {
  const withoutToken = await fetch(`${running.engine.apiUrl}/v1/purchases/${principalFee}/early-redemption/quote`, {
    method: 'POST',
    headers: { 'x-api-key': TEST_API_KEY },
  });
  expect(withoutToken.status).toBe(401);
  expect(await earlyRedemptionCall(running.engine, principalFee, 'quote', undefined, 'M20002')).toMatchObject({
    status: 404,
  });
  const confirmAsOther = await fetch(`${running.engine.apiUrl}/v1/purchases/${principalFee}/early-redemption`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await asPlatformFor('M20002')) },
    body: JSON.stringify({ quoteId: `${principalFee}Q001` }),
  });
  expect(confirmAsOther.status).toBe(404);
});

test('an unpaid order is not accruing: quote and confirmation are 409 WRONG_STATE', async () => {
  expect(await earlyRedemptionCall(running.engine, unpaid, 'quote')).toMatchObject({
    status: 409,
    body: { error: { code: 'WRONG_STATE' } },
  });
  expect(await earlyRedemptionCall(running.engine, unpaid, 'confirm', { quoteId: `${unpaid}Q001` })).toMatchObject({
    status: 409,
    body: { error: { code: 'WRONG_STATE' } },
  });
});

test('a product held to maturity answers 422 EARLY_REDEMPTION_NOT_ALLOWED; before interest starts a product without lock-in answers 409 IN_LOCK_IN', async () => {
  expect(await earlyRedemptionCall(running.engine, heldToMaturity, 'quote')).toMatchObject({
    status: 422,
    body: { error: { code: 'EARLY_REDEMPTION_NOT_ALLOWED' } },
  });
  expect(await earlyRedemptionCall(running.engine, principalFee, 'quote')).toMatchObject({
    status: 409,
    body: { error: { code: 'IN_LOCK_IN', message: expect.stringContaining('after interest starts on') } },
  });
});

test('the order shows the product’s early-redemption and service-fee terms, and no redemption yet', async () => {
  const response = await fetch(`${running.engine.apiUrl}/v1/purchases/${principalFee}`, {
    headers: await asPlatformFor('M10001'),
  });
  expect(await response.json()).toMatchObject({
    product: {
      earlyRedemption: { allowed: true, lockInDays: 0, penalty: { kind: 'PRINCIPAL_FEE', bp: 50 } },
      serviceFee: { kind: 'FIXED', fen: 500 },
    },
    redemption: null,
    redemptionEntries: { interestReversalFen: 0, earlyRedemptionPenaltyFen: 0, serviceFeeFen: 0 },
  });
});

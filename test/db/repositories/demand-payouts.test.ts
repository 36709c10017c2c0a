import { ensureDemandHolding, recordDemandMovement } from '../../../src/db/repositories/demand';
import {
  createDemandPayout,
  DemandPayoutConflictError,
  findDemandPayout,
  recordDemandPayoutResult,
  SecondDemandPayoutError,
} from '../../../src/db/repositories/demand-payouts';
import { useTestDatabase } from '../../../tools/testing/database';

const db = useTestDatabase();
const fork = () => db.orm.em.fork();
const at = new Date('2027-03-01T02:00:00Z');
let redemptions = 0;

/** A holding with one fast redemption of `amountFen`; answers the redemption id. */
async function redemption(amountFen: number): Promise<string> {
  const id = `hqr-db-${++redemptions}`;
  const holdingId = `demand-DB${redemptions}-XJPHQ01`;
  await ensureDemandHolding(fork(), {
    id: holdingId,
    memberId: `DB${redemptions}`,
    productCode: 'XJPHQ01',
    accountNo: `ACC${redemptions}`,
    at,
  });
  await recordDemandMovement(fork(), {
    id,
    holdingId,
    kind: 'FAST_REDEMPTION',
    amountFen,
    requestedAt: at,
    tradeDate: '2027-03-01',
    effectiveDate: '2027-03-01',
    payDate: '2027-03-01',
    xjpReference: `HQR-${id}`,
    at,
  });
  return id;
}

test('an attempt is created PENDING once per payout id; the same id with other figures is refused', async () => {
  const id = await redemption(50_000);
  const first = await createDemandPayout(fork(), {
    payoutId: `${id}P01`,
    redemptionId: id,
    attempt: 1,
    amountFen: 50_000,
    at,
  });
  const again = await createDemandPayout(fork(), {
    payoutId: `${id}P01`,
    redemptionId: id,
    attempt: 1,
    amountFen: 50_000,
    at,
  });
  expect([first.status, again.payoutId]).toEqual(['PENDING', `${id}P01`]);
  await expect(
    createDemandPayout(fork(), { payoutId: `${id}P01`, redemptionId: id, attempt: 1, amountFen: 50_001, at }),
  ).rejects.toBeInstanceOf(DemandPayoutConflictError);
});

test('a final result is never overwritten but by a reversal, and PostgreSQL refuses a second SUCCESS of one redemption', async () => {
  const id = await redemption(60_000);
  for (const attempt of [1, 2])
    await createDemandPayout(fork(), {
      payoutId: `${id}P0${attempt}`,
      redemptionId: id,
      attempt,
      amountFen: 60_000,
      at,
    });
  await recordDemandPayoutResult(fork(), { payoutId: `${id}P01`, status: 'SUCCESS', lianlianBillNo: 'LL-1', at });
  await recordDemandPayoutResult(fork(), { payoutId: `${id}P01`, status: 'PROCESSING', at });
  expect(await findDemandPayout(fork(), `${id}P01`)).toMatchObject({ status: 'SUCCESS', lianlianBillNo: 'LL-1' });

  await expect(
    recordDemandPayoutResult(fork(), { payoutId: `${id}P02`, status: 'SUCCESS', at }),
  ).rejects.toBeInstanceOf(SecondDemandPayoutError);

  // Reversed, the first no longer counts: a later attempt may succeed.
  await recordDemandPayoutResult(fork(), { payoutId: `${id}P01`, status: 'CANCEL', at });
  await recordDemandPayoutResult(fork(), { payoutId: `${id}P02`, status: 'SUCCESS', at });
  expect((await findDemandPayout(fork(), `${id}P02`))?.status).toBe('SUCCESS');
});

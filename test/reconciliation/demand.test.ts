import { reconcileDemandDay, type DemandIncomeLine, type DemandMovementLine } from '../../src/reconciliation/demand';

const subscription: DemandMovementLine = {
  id: 'hqs_1',
  category: 'DEMAND_SUBSCRIPTION',
  amountFen: 10_000,
  effectiveDate: '2027-03-11',
};
const income: DemandIncomeLine = { accountNo: 'A1', productCode: 'XJPHQ01', unitsFen: 1_000_000, incomeFen: 49 };

test('agreeing movements and income are MATCHED; a zero line at XJP needs no row of ours', () => {
  const findings = reconcileDemandDay(
    { movements: [subscription], income: [income] },
    { movements: [subscription], income: [income, { ...income, accountNo: 'A2', unitsFen: 0, incomeFen: 0 }] },
  );
  expect(findings.map((f) => [f.category, f.kind])).toEqual([
    ['DEMAND_SUBSCRIPTION', 'MATCHED'],
    ['DEMAND_INCOME', 'MATCHED'],
  ]);
});

test('a different amount, a different cut-off date, a different income and one-sided lines are each reported', () => {
  const redemption: DemandMovementLine = { ...subscription, id: 'hqr_1', category: 'DEMAND_REDEMPTION' };
  const findings = reconcileDemandDay(
    { movements: [subscription, redemption, { ...subscription, id: 'hqs_2' }], income: [income] },
    {
      movements: [
        { ...subscription, effectiveDate: '2027-03-12' },
        { ...redemption, amountFen: 9_999 },
        { ...subscription, id: 'hqs_9' },
      ],
      income: [
        { ...income, incomeFen: 50 },
        { ...income, accountNo: 'A3' },
      ],
    },
  );
  expect(findings.map((f) => [f.reference, f.kind])).toEqual([
    ['hqs_1', 'DATE_MISMATCH'],
    ['hqr_1', 'AMOUNT_MISMATCH'],
    ['hqs_2', 'MISSING_AT_PARTNER'],
    ['hqs_9', 'MISSING_AT_US'],
    ['A1/XJPHQ01', 'AMOUNT_MISMATCH'],
    ['A3/XJPHQ01', 'MISSING_AT_US'],
  ]);
});

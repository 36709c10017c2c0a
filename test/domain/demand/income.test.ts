import { availableFen, postIncomeDay, type HoldingLedger } from '../../../src/domain/demand/holding-ledger';
import { dailyIncomeFen, parseDemandFigure } from '../../../src/domain/demand/income';
import { thrown } from '../thrown';

test('income is units × income per 10,000 fen ÷ 10,000, the remainder below one fen dropped', () => {
  // 1,234,567 × 0.4932 / 10,000 = 60.888844… fen: 60 fen, 0.888844 fen stays with the product.
  expect(dailyIncomeFen(1_234_567, '0.4932')).toBe(60);
  expect(dailyIncomeFen(10_000, '0.4932')).toBe(0);
  expect(dailyIncomeFen(20_276, '0.4932')).toBe(1);
  expect(dailyIncomeFen(0, '0.6499')).toBe(0);
  // Exact beyond float precision: 9e15 × 0.49320001 / 10⁴.
  expect(dailyIncomeFen(9_000_000_000_000_000 / 10, '0.49320001')).toBe(44_388_000_900);
});

test('a figure that is not a plain decimal or is out of range is refused with its code', () => {
  expect(
    thrown(() => parseDemandFigure({ date: '2027-01-01', incomePer10kFen: '4.9e-1', sevenDayYield: '0.018' })),
  ).toMatchObject({ code: 'INVALID_DEMAND_FIGURE' });
  expect(
    thrown(() => parseDemandFigure({ date: '2027-01-01', incomePer10kFen: '12.5', sevenDayYield: '0.018' })),
  ).toMatchObject({ code: 'INVALID_DEMAND_FIGURE' });
});

test('posting a day folds what took effect into the units and reinvests the income', () => {
  const ledger: HoldingLedger = {
    unitsFen: 0,
    cumulativeIncomeFen: 0,
    lastIncomeDate: '2027-03-10',
    subscriptions: [
      { id: 's1', amountFen: 1_000_000, countsFrom: '2027-03-11' },
      { id: 's2', amountFen: 500_000, countsFrom: '2027-03-12' },
    ],
    redemptions: [{ id: 'r1', amountFen: 200_000, effectiveDate: '2027-03-12' }],
  };
  const first = postIncomeDay(ledger, '2027-03-11', '0.5000');
  expect(first.day).toEqual({ date: '2027-03-11', unitsFen: 1_000_000, incomeFen: 50 });
  expect(availableFen(first.ledger, '2027-03-12')).toBe(1_000_050 + 500_000 - 200_000);
  const second = postIncomeDay(first.ledger, '2027-03-12', '0.5000');
  expect(second.day.unitsFen).toBe(1_300_050);
  expect(second.ledger).toMatchObject({
    unitsFen: 1_300_050 + 65,
    cumulativeIncomeFen: 115,
    subscriptions: [],
    redemptions: [],
  });
});

import { anotherAttemptMayPay, isParkReason, payoutFiguresRefusal } from '../../src/domain/payout-safety';

describe('anotherAttemptMayPay', () => {
  test('is false when every other attempt failed, closed or was reversed', () => {
    const attempts = [
      { payoutNo: 'P01', status: 'FAILURE' },
      { payoutNo: 'P02', status: 'CLOSED' },
      { payoutNo: 'P03', status: 'CANCEL' },
      { payoutNo: 'P04', status: 'CHECK' },
    ];
    expect(anotherAttemptMayPay(attempts, 'P04')).toBe(false);
  });

  test.each(['PENDING', 'APPLY', 'CHECK', 'WAITING', 'PROCESSING', 'SUCCESS'])(
    'is true while another attempt is %s',
    (status) => {
      expect(
        anotherAttemptMayPay(
          [
            { payoutNo: 'P01', status },
            { payoutNo: 'P02', status: 'CHECK' },
          ],
          'P02',
        ),
      ).toBe(true);
    },
  );
});

describe('payoutFiguresRefusal', () => {
  const agreeing = {
    principalFen: 100_000,
    interestFen: 267,
    ledgerInterestFen: 267,
    redemption: { principalFen: 100_000, interestFen: 267, totalFen: 100_267 },
  };

  test('lets a payout go when the ledger and XJP agree with it', () => {
    expect(payoutFiguresRefusal(agreeing)).toBeUndefined();
  });

  test('refuses interest the ledger does not hold', () => {
    expect(payoutFiguresRefusal({ ...agreeing, ledgerInterestFen: 266 })).toBe('LEDGER_MISMATCH');
  });

  test.each([
    ['principal', { principalFen: 99_999, interestFen: 267, totalFen: 100_266 }],
    ['interest', { principalFen: 100_000, interestFen: 266, totalFen: 100_266 }],
    ['total', { principalFen: 100_000, interestFen: 267, totalFen: 100_268 }],
  ])("refuses when XJP's redemption %s is off by a fen", (_, redemption) => {
    expect(payoutFiguresRefusal({ ...agreeing, redemption })).toBe('REDEMPTION_MISMATCH');
  });

  test('an early redemption with a fee on principal and a service fee: XJP settled principal + ledger interest − the fee, the payout keeps back both as booked', () => {
    const early = {
      principalFen: 1_000_000,
      interestFen: 7_000,
      ledgerInterestFen: 7_000,
      deductions: { serviceFeeFen: 500, penaltyFen: 5_000 },
      bookedDeductions: { serviceFeeFen: 500, penaltyFen: 5_000 },
      redemption: { principalFen: 1_000_000, interestFen: 7_000, penaltyFen: 5_000, totalFen: 1_002_000 },
    };
    expect(payoutFiguresRefusal(early)).toBeUndefined();
    expect(payoutFiguresRefusal({ ...early, deductions: { serviceFeeFen: 0, penaltyFen: 5_000 } })).toBe(
      'LEDGER_MISMATCH',
    );
    expect(
      payoutFiguresRefusal({ ...early, redemption: { ...early.redemption, penaltyFen: 0, totalFen: 1_007_000 } }),
    ).toBe('REDEMPTION_MISMATCH');
  });

  test('a reinvested part (续投) is kept back only as far as the order it bought holds it', () => {
    const rolled = {
      ...agreeing,
      deductions: { serviceFeeFen: 0, penaltyFen: 0, reinvestedFen: 100_000 },
      bookedDeductions: { serviceFeeFen: 0, penaltyFen: 0, reinvestedFen: 100_000 },
    };
    expect(payoutFiguresRefusal(rolled)).toBeUndefined();
    // Keeping back more than the new order took, or any when it was undone, would strand the investor's money.
    expect(payoutFiguresRefusal({ ...rolled, bookedDeductions: { serviceFeeFen: 0, penaltyFen: 0 } })).toBe(
      'LEDGER_MISMATCH',
    );
    // Paying out what was reinvested would pay the same money twice.
    expect(payoutFiguresRefusal({ ...rolled, deductions: { serviceFeeFen: 0, penaltyFen: 0 } })).toBe(
      'LEDGER_MISMATCH',
    );
  });

  test('refuses before XJP has settled a redemption at all', () => {
    expect(payoutFiguresRefusal({ ...agreeing, redemption: null })).toBe('REDEMPTION_MISMATCH');
  });
});

test('park reasons are a closed set', () => {
  expect(isParkReason('REDEMPTION_MISMATCH')).toBe(true);
  expect(isParkReason('SOMETHING_ELSE')).toBe(false);
});

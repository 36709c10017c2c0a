import { type RefundFacts, refundId, refundRefusal } from '../../src/domain/refund';

const paid = (paidAmountFen: number, billNo = 'B1') => ({ paid: true as const, paidAmountFen, billNo });
const facts = (over: Partial<RefundFacts>): RefundFacts => ({
  cause: 'PAID_AFTER_CLOSE',
  amountFen: 1_000,
  paymentBillNo: 'B1',
  xjp: paid(1_000),
  otherRefundsFen: 0,
  order: { status: 'EXPIRED', amountFen: 1_000 },
  ...over,
});

describe('refundRefusal: nothing leaves that did not come in', () => {
  test('a whole payment to an order that closed unpaid may go back', () => {
    for (const status of ['EXPIRED', 'CANCELLED', 'REJECTED']) {
      expect(refundRefusal(facts({ order: { status, amountFen: 1_000 } }))).toBeUndefined();
    }
  });

  test('never a full refund of an order that kept the money', () => {
    for (const status of ['PAID', 'ACCRUING', 'COMPLETED', 'PAYING_OUT']) {
      expect(refundRefusal(facts({ order: { status, amountFen: 1_000 } }))).toBe('ORDER_KEEPS_PAYMENT');
      expect(refundRefusal(facts({ cause: 'PAYMENT_REFUSED', order: { status, amountFen: 1_000 } }))).toBe(
        'ORDER_KEEPS_PAYMENT',
      );
    }
  });

  test('an over-payment refund is bounded by the excess, counting earlier refunds of the bill', () => {
    const over = { cause: 'OVERPAID' as const, order: { status: 'ACCRUING', amountFen: 1_000 }, xjp: paid(1_150) };
    expect(refundRefusal(facts({ ...over, amountFen: 150 }))).toBeUndefined();
    expect(refundRefusal(facts({ ...over, amountFen: 151 }))).toBe('EXCEEDS_EXCESS');
    expect(refundRefusal(facts({ ...over, amountFen: 100, otherRefundsFen: 51 }))).toBe('EXCEEDS_EXCESS');
    expect(refundRefusal(facts({ ...over, amountFen: 150, xjp: { paid: false } }))).toBe('PAYMENT_NOT_CONFIRMED');
  });

  test('bounded by what XJP says arrived, on the same bill', () => {
    expect(refundRefusal(facts({ amountFen: 1_001 }))).toBe('EXCEEDS_PAYMENT');
    expect(refundRefusal(facts({ amountFen: 600, otherRefundsFen: 401 }))).toBe('EXCEEDS_PAYMENT');
    expect(refundRefusal(facts({ xjp: paid(1_000, 'B2') }))).toBe('BILL_MISMATCH');
  });

  test("money XJP's books do not show is returned only for a closed or unknown order (LianLian bounds it by the bill)", () => {
    expect(refundRefusal(facts({ xjp: { paid: false } }))).toBeUndefined();
    expect(refundRefusal(facts({ cause: 'UNKNOWN_ORDER', order: null, xjp: { paid: false } }))).toBeUndefined();
    expect(
      refundRefusal(
        facts({ cause: 'PAYMENT_REFUSED', order: { status: 'REJECTED', amountFen: 1_000 }, xjp: { paid: false } }),
      ),
    ).toBe('PAYMENT_NOT_CONFIRMED');
  });
});

test('refund ids come from the payment bill and the attempt, so a retried apply is the same refund', () => {
  expect(refundId('2026120210000001', 1)).toBe('RF2026120210000001');
  expect(refundId('2026120210000001', 2)).toBe('RF2026120210000001-2');
});

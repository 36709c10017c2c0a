import { randomUUID } from 'node:crypto';
import type { NewOrderInput } from '../../../src/db/repositories/orders';

/** Investor data that must never appear in clear in the database. */
export const INVESTOR = {
  name: '张三丰',
  idCardNo: '11010119900307447X',
  mobile: '13812345678',
  email: 'zhang@example.com',
  bankCardNo: '6222021234567890123',
  bankCode: 'ICBC',
} as const;

/** A valid order input with a fresh idempotency key; override what a test is about. */
export function orderInput(overrides: Partial<NewOrderInput> = {}): NewOrderInput {
  return {
    idempotencyKey: `idem-${randomUUID()}`,
    memberId: `m-${randomUUID().slice(0, 8)}`,
    product: {
      productId: 'P001',
      productCode: 'XJP-90D-01',
      productName: '小金票90天',
      annualRate: '0.0425',
      term: { unit: 'DAY', value: 90 },
      dayCountBasis: 365,
      interestStartRule: 'T+1',
      payoutMode: 'AUTO',
      acceptingBank: '中国工商银行',
    },
    amountFen: 1_000_000,
    investor: { ...INVESTOR },
    channel: 'PC',
    actor: 'INVESTOR',
    at: new Date('2026-11-22T02:00:00Z'),
    ...overrides,
  };
}

/** The pay-date activity on a real database: the next business day for a maturity on a day off, recorded on the order once. */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createOrderActivities } from '../../../activities/purchase/order-activities';
import { createOrder, listOrderEvents } from '../../../src/db/repositories/orders';
import { testPiiCipher, useTestDatabase } from '../../../tools/testing/database';
import { orderInput } from '../../db/repositories/fixtures';

const db = useTestDatabase();

async function newOrderNo(): Promise<string> {
  return (await createOrder(db.orm.em.fork(), testPiiCipher(), orderInput())).orderNo;
}

async function movedEvents(orderNo: string) {
  return (await listOrderEvents(db.orm.em.fork(), orderNo)).filter((e) => e.cause === 'PAY_DATE_MOVED');
}

test('a maturity on National Day 2027 pays on 2027-10-08, recorded once on the order with the calendar it came from, however often asked', async () => {
  const orderNo = await newOrderNo();
  const { fixPayDate } = createOrderActivities({ orm: db.orm });
  const env = new MockActivityEnvironment();

  expect(await env.run(fixPayDate, { orderNo, maturityDate: '2027-10-01' })).toEqual({ payDate: '2027-10-08' });
  expect(await env.run(fixPayDate, { orderNo, maturityDate: '2027-10-01' })).toEqual({ payDate: '2027-10-08' });

  const moved = await movedEvents(orderNo);
  expect(moved).toHaveLength(1);
  expect(moved[0]?.detail).toMatchObject({
    maturityDate: '2027-10-01',
    payDate: '2027-10-08',
    calendar: expect.stringContaining('provisional'),
  });
});

test('a maturity on a business day pays that day and records nothing', async () => {
  const orderNo = await newOrderNo();
  const { fixPayDate } = createOrderActivities({ orm: db.orm });

  expect(await new MockActivityEnvironment().run(fixPayDate, { orderNo, maturityDate: '2026-12-07' })).toEqual({
    payDate: '2026-12-07',
  });
  expect(await movedEvents(orderNo)).toEqual([]);
});

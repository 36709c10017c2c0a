import { InvalidAmountError } from '../../../src/domain/errors';
import { findOrderByNo } from '../../../src/db/repositories/orders';
import { createOrder } from '../../../src/db/repositories/orders';
import { testPiiCipher, useTestDatabase } from '../../../tools/testing/database';
import { orderInput } from '../repositories/fixtures';

const db = useTestDatabase();
const cipher = testPiiCipher();
const fork = () => db.orm.em.fork();

test('the largest safe integer amount survives the bigint round trip exactly', async () => {
  const { orderNo } = await createOrder(fork(), cipher, orderInput({ amountFen: Number.MAX_SAFE_INTEGER }));
  expect((await findOrderByNo(fork(), orderNo))?.amountFen).toBe(Number.MAX_SAFE_INTEGER);
});

test('a bigint beyond the safe integer range is refused on read instead of being rounded', async () => {
  const { orderNo } = await createOrder(fork(), cipher, orderInput());
  await fork().execute('update purchase_order set amount_fen = 9007199254740993 where order_no = ?', [orderNo]);
  await expect(findOrderByNo(fork(), orderNo)).rejects.toBeInstanceOf(InvalidAmountError);
});

test('a fractional amount is refused before it reaches the database', async () => {
  await expect(createOrder(fork(), cipher, orderInput({ amountFen: 100.5 }))).rejects.toBeInstanceOf(
    InvalidAmountError,
  );
});

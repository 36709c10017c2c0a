import { Writable } from 'node:stream';
import { createLogger } from '../../src/logging/logger';

function capture(): { lines: string[]; destination: Writable } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, destination };
}

test('personal data is masked at the top level and up to two levels down, under both our and LianLian’s field names', () => {
  const { lines, destination } = capture();
  const logger = createLogger('redaction', { level: 'info', destination });
  logger.info(
    {
      orderNo: 'XJP20261122000123',
      mobile: '13800138000',
      investor: { idCardNo: '11010519491231002X', email: 'zhangsan@example.com' },
      body: {
        bankCard: { cardNo: '6222020200112233446' },
        payee: { card_no: '6222020200112233447', acct_name: '张三' },
      },
    },
    'about an order',
  );
  const line = JSON.parse(lines.join('')) as Record<string, unknown>;
  expect(line).toMatchObject({
    orderNo: 'XJP20261122000123',
    mobile: '[masked]',
    investor: { idCardNo: '[masked]', email: '[masked]' },
  });
  expect(line.body).toEqual({
    bankCard: { cardNo: '[masked]' },
    payee: { card_no: '[masked]', acct_name: '[masked]' },
  });
});

test('personal data and names are masked at any depth, inside arrays too', () => {
  const { lines, destination } = capture();
  const logger = createLogger('redaction', { level: 'info', destination });
  const deep = {
    a: {
      b: {
        c: {
          d: {
            e: {
              investor: { name: '张三丰', mobile: '13800138000' },
              payees: [{ acct_name: '李四', card_no: '6222020200112233447' }],
            },
          },
        },
      },
    },
  };
  logger.info({ orderNo: 'XJP20261122000123', deep, accountName: '王五' }, 'deep');
  const text = lines.join('');
  for (const clear of ['张三丰', '13800138000', '李四', '6222020200112233447', '王五'])
    expect(text).not.toContain(clear);
  expect(text).toContain('XJP20261122000123');
  expect(JSON.parse(text).deep.a.b.c.d.e.investor).toEqual({ name: '[masked]', mobile: '[masked]' });
});

test('credential headers are masked', () => {
  const { lines, destination } = capture();
  createLogger('redaction', { level: 'info', destination }).info(
    {
      req: {
        headers: {
          'x-operator-key': 'secret-operator',
          'x-api-key': 'secret-api',
          authorization: 'Bearer secret-member-token',
        },
      },
    },
    'headers',
  );
  expect(lines.join('')).not.toMatch(/secret-operator|secret-api|secret-member-token/);
});

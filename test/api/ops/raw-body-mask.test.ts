import { maskRawBody } from '../../../src/api/ops/raw-body-mask';

test('a JSON body keeps every field, with personal data under known keys masked', () => {
  const body = JSON.stringify({
    no_order: 'XJP20261122000123P01',
    card_no: '6222020200112233446',
    acct_name: '张三',
    nested: { idCardNo: '11010519491231002X', mobile: '13800138000' },
    money_order: '10093.70',
  });
  expect(JSON.parse(maskRawBody(body))).toEqual({
    no_order: 'XJP20261122000123P01',
    card_no: '**** 3446',
    acct_name: '张*',
    nested: { idCardNo: '110***********002X', mobile: '138****8000' },
    money_order: '10093.70',
  });
});

test('a body that is not JSON has ID-card, mobile and card-number digit runs masked, order numbers left alone', () => {
  const masked = maskRawBody('card=6222020200112233446&id=11010519491231002X&tel=13800138000&order=XJP20261122000123');
  expect(masked).not.toMatch(/6222020200112233446|11010519491231002X|13800138000/);
  expect(masked).toContain('order=XJP20261122000123');
});

import { maskCardNo, maskIdCard, maskMobile, maskName } from '../../src/db/pii-mask';

test('an ID-card number keeps its first three and last four characters', () => {
  expect(maskIdCard('11010119900307447X')).toBe('110***********447X');
});

test('a mobile keeps its first three and last four digits', () => {
  expect(maskMobile('13812345678')).toBe('138****5678');
});

test('a card number shows only its last four digits, spaces ignored', () => {
  expect(maskCardNo('6222 0212 3456 7890 123')).toBe('**** 0123');
  expect(maskCardNo('123')).toBe('***');
});

test('a name keeps the surname and hides the given name', () => {
  expect(maskName('张三')).toBe('张*');
  expect(maskName('张三丰')).toBe('张*丰');
  expect(maskName('欧阳娜娜')).toBe('欧**娜');
  expect(maskName('李')).toBe('*');
});

test('values too short to keep both ends are masked entirely', () => {
  expect(maskMobile('1234567')).toBe('*******');
  expect(maskIdCard('')).toBe('');
});

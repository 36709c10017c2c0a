import { isBusinessDay, nextBusinessDay } from '../../../src/domain/demand/business-days';
import { redemptionDates, subscriptionDates, tradeDate } from '../../../src/domain/demand/cut-off';

test('weekends and listed holidays are not business days', () => {
  expect(isBusinessDay('2027-03-12')).toBe(true);
  expect(isBusinessDay('2027-03-13')).toBe(false);
  expect(isBusinessDay('2027-10-04')).toBe(false);
  expect(nextBusinessDay('2027-09-30')).toBe('2027-10-08');
});

test('a request before 15:00 Shanghai on a business day trades that day; at 15:00 the next business day', () => {
  expect(tradeDate(new Date('2027-03-10T06:59:59.999Z'))).toBe('2027-03-10');
  expect(tradeDate(new Date('2027-03-10T07:00:00Z'))).toBe('2027-03-11');
  // Just after Shanghai midnight (16:00 UTC the day before) is early morning of the Shanghai date.
  expect(tradeDate(new Date('2027-03-09T16:30:00Z'))).toBe('2027-03-10');
});

test('subscriptions count from the business day after the trade date, across weekends and holidays', () => {
  expect(subscriptionDates(new Date('2027-03-10T01:00:00Z'))).toEqual({
    tradeDate: '2027-03-10',
    countsFrom: '2027-03-11',
  });
  expect(subscriptionDates(new Date('2027-03-10T08:00:00Z'))).toEqual({
    tradeDate: '2027-03-11',
    countsFrom: '2027-03-12',
  });
  expect(subscriptionDates(new Date('2027-03-13T01:00:00Z'))).toEqual({
    tradeDate: '2027-03-15',
    countsFrom: '2027-03-16',
  });
  expect(subscriptionDates(new Date('2027-09-30T08:00:00Z'))).toEqual({
    tradeDate: '2027-10-08',
    countsFrom: '2027-10-11',
  });
});

test('a fast redemption is effective and paid the day asked; a standard one at its trade date, paid the next business day', () => {
  const friday = new Date('2027-03-12T08:00:00Z');
  expect(redemptionDates('FAST', friday)).toEqual({ effectiveDate: '2027-03-12', payDate: '2027-03-12' });
  expect(redemptionDates('STANDARD', friday)).toEqual({ effectiveDate: '2027-03-15', payDate: '2027-03-16' });
});

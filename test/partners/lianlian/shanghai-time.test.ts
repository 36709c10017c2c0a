import { formatShanghaiTimestamp, parseShanghaiTimestamp } from '../../../src/partners/lianlian/shanghai-time';

describe('LianLian times (yyyyMMddHHmmss, Asia/Shanghai)', () => {
  it('writes an instant on the Shanghai wall clock, crossing midnight eight hours ahead of UTC', () => {
    expect(formatShanghaiTimestamp(new Date('2026-11-23T16:30:05.999Z'))).toBe('20261124003005');
  });

  it('reads a Shanghai wall-clock time back as the UTC instant', () => {
    expect(parseShanghaiTimestamp('20261124003005')?.toISOString()).toBe('2026-11-23T16:30:05.000Z');
  });

  it.each(['20260230120000', '20261124250000', '20261124006000', '2026112400300', '2026-11-24 00'])(
    'refuses %s, which is not a real yyyyMMddHHmmss time',
    (text) => {
      expect(parseShanghaiTimestamp(text)).toBeUndefined();
    },
  );
});

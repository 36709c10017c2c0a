import { createLogger } from '../../src/logging/logger';
import { temporalLoggerOn } from '../../src/observability/temporal-logger';
import { collectLogLines } from '../../tools/testing/log-lines';

function capture() {
  const { lines, destination } = collectLogLines();
  return { lines, logger: temporalLoggerOn(createLogger('worker', { level: 'trace', destination })) };
}

test('an activity line about a purchase carries orderNo from its workflow id, at the SDK level, with personal data masked', () => {
  const { lines, logger } = capture();
  logger.warn('payout refused', {
    workflowId: 'purchase-XJP20261122000123',
    activityType: 'applyPayout',
    mobile: '13800138000',
  });
  logger.log('ERROR', 'crashed', { workflowId: 'purchase-XJP20261122000124' });
  expect(lines[0]).toMatchObject({
    level: 40,
    msg: 'payout refused',
    orderNo: 'XJP20261122000123',
    activityType: 'applyPayout',
    mobile: '[masked]',
  });
  expect(lines[1]).toMatchObject({ level: 50, orderNo: 'XJP20261122000124' });
});

test('an orderNo the line sets itself wins; lines about no purchase get none', () => {
  const { lines, logger } = capture();
  logger.info('explicit', { orderNo: 'XJP20261122000125', workflowId: 'purchase-XJP20261122000999' });
  logger.debug('worker state', { sdkComponent: 'worker' });
  expect(lines[0]).toMatchObject({ orderNo: 'XJP20261122000125' });
  expect(lines[1]).not.toHaveProperty('orderNo');
});

import { hasValidSignature } from '../../src/partners/signing';
import { formatShanghaiTimestamp } from '../../tools/sim/common/shanghai-time';
import type { SimPayout } from '../../tools/sim/lianlian/payouts';
import {
  admin,
  adminState,
  callLianLian,
  eventually,
  nextId,
  PAYOUT_NOTIFY_PATH,
  sleep,
  withLuhnDigit,
  type Received,
  useWorld,
} from './harness';

const world = useWorld();

let cardSequence = 0;
/** A Luhn-valid card nobody else in this file uses, so payouts do not look like duplicates by accident. */
function freshCard(): string {
  cardSequence += 1;
  return withLuhnDigit(`622202${String(cardSequence).padStart(12, '0')}`);
}

function applyFields(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    no_order: nextId('PO'),
    dt_order: formatShanghaiTimestamp(new Date()),
    money_order: '1002.67',
    card_no: freshCard(),
    acct_name: '张三',
    bank_code: '01020000',
    info_order: '小金票到期兑付',
    notify_url: `${world.engine.url}${PAYOUT_NOTIFY_PATH}`,
    ...overrides,
  };
}

const resultsFor = (noOrder: string): string[] =>
  world.engine.received
    .filter((r: Received) => r.path === PAYOUT_NOTIFY_PATH && r.body.no_order === noOrder)
    .map((r) => r.body.result_pay as string);

const payout = async (noOrder: string): Promise<SimPayout> =>
  (await adminState<{ payouts: SimPayout[] }>(world.lianlianUrl)).payouts.find((p) => p.no_order === noOrder)!;

const untilNotified = (noOrder: string, result: string): Promise<true> =>
  eventually(() => (resultsFor(noOrder).includes(result) ? true : undefined));

describe('payout (代付)', () => {
  it('moves APPLY → WAITING → PROCESSING → SUCCESS and notifies the platform, signed by LianLian', async () => {
    const fields = applyFields();
    const applied = await callLianLian(world, '/payout/apply', fields);
    expect(applied.body).toMatchObject({ ret_code: '0000', no_order: fields.no_order, result_pay: 'WAITING' });

    await untilNotified(fields.no_order as string, 'SUCCESS');
    const notification = world.engine.received.find((r) => r.body.no_order === fields.no_order)!.body;
    expect(hasValidSignature(notification, world.keys.lianlian.publicKeyPem)).toBe(true);
    expect(notification).toMatchObject({
      oid_partner: '201811220000001',
      money_order: '1002.67',
      result_pay: 'SUCCESS',
      sign_type: 'RSA',
      oid_paybill: applied.body.oid_paybill,
    });
    expect(notification.settle_date).toMatch(/^\d{8}$/);

    expect((await payout(fields.no_order as string)).history.map((h) => h.state)).toEqual([
      'APPLY',
      'WAITING',
      'PROCESSING',
      'SUCCESS',
    ]);
    const query = await callLianLian(world, '/payout/query', { no_order: fields.no_order });
    expect(query.body).toMatchObject({
      ret_code: '0000',
      result_pay: 'SUCCESS',
      money_order: '1002.67',
      dt_order: fields.dt_order,
    });
  });

  it('is idempotent on no_order: the same apply twice is one payout, other content is 4002', async () => {
    const fields = applyFields();
    const first = await callLianLian(world, '/payout/apply', fields);
    const again = await callLianLian(world, '/payout/apply', fields);
    const changed = await callLianLian(world, '/payout/apply', { ...fields, money_order: '1002.68' });
    expect(again.body.oid_paybill).toBe(first.body.oid_paybill);
    expect(changed.body.ret_code).toBe('4002');
    await untilNotified(fields.no_order as string, 'SUCCESS');
    expect((await adminState<{ payouts: unknown[] }>(world.lianlianUrl)).payouts).toHaveLength(1);
    expect(resultsFor(fields.no_order as string)).toEqual(['SUCCESS']);
  });

  it('fail fault: the payout ends FAILURE', async () => {
    await admin(world.lianlianUrl, '/payout-faults', { kind: 'fail', count: 1 });
    const fields = applyFields();
    await callLianLian(world, '/payout/apply', fields);
    await untilNotified(fields.no_order as string, 'FAILURE');
    expect((await payout(fields.no_order as string)).result_pay).toBe('FAILURE');
  });

  it('reverse fault: SUCCESS is later followed by CANCEL', async () => {
    await admin(world.lianlianUrl, '/payout-faults', { kind: 'reverse', count: 1 });
    const fields = applyFields();
    await callLianLian(world, '/payout/apply', fields);
    await untilNotified(fields.no_order as string, 'CANCEL');
    expect(resultsFor(fields.no_order as string)).toEqual(['SUCCESS', 'CANCEL']);
    expect((await callLianLian(world, '/payout/query', { no_order: fields.no_order })).body.result_pay).toBe('CANCEL');
  });

  it('hold fault: the payout waits in CHECK until confirmed, then succeeds', async () => {
    await admin(world.lianlianUrl, '/payout-faults', { kind: 'hold', count: 1 });
    const fields = applyFields();
    const applied = await callLianLian(world, '/payout/apply', fields);
    expect(applied.body.result_pay).toBe('CHECK');
    await sleep(100);
    expect((await payout(fields.no_order as string)).result_pay).toBe('CHECK');
    const confirmed = await callLianLian(world, '/payout/confirm', { no_order: fields.no_order });
    expect(confirmed.body).toMatchObject({ ret_code: '0000', result_pay: 'WAITING' });
    await untilNotified(fields.no_order as string, 'SUCCESS');
    expect((await payout(fields.no_order as string)).history.map((h) => h.state)).toEqual([
      'APPLY',
      'CHECK',
      'WAITING',
      'PROCESSING',
      'SUCCESS',
    ]);
  });

  it('a second payout to the same card and amount within 24 hours waits in CHECK and closes unconfirmed', async () => {
    const first = applyFields();
    await callLianLian(world, '/payout/apply', first);
    const second = applyFields({ card_no: first.card_no });
    const applied = await callLianLian(world, '/payout/apply', second);
    expect(applied.body.result_pay).toBe('CHECK');
    await untilNotified(second.no_order as string, 'CLOSED');
    expect(resultsFor(second.no_order as string)).toEqual(['CLOSED']);
    expect((await payout(first.no_order as string)).result_pay).toBe('SUCCESS');
  });

  it('resends the result until the platform answers 0000', async () => {
    world.engine.script(PAYOUT_NOTIFY_PATH, [{ status: 200, body: { ret_code: '9999', ret_msg: 'busy' } }]);
    const fields = applyFields();
    await callLianLian(world, '/payout/apply', fields);
    await eventually(() => (resultsFor(fields.no_order as string).length === 2 ? true : undefined));
    const calls = world.engine.received.filter((r) => r.body.no_order === fields.no_order);
    expect(calls[0]!.body.notification_id).toBe(calls[1]!.body.notification_id);
  });

  it.each([
    ['a failed Luhn check', (card: string) => `${card.slice(0, -1)}${(Number(card.slice(-1)) + 1) % 10}`],
    ['11 digits', () => withLuhnDigit('6222020000')],
    ['letters', () => '62220200001234X'],
  ])('refuses a card with %s as 4001', async (_case, corrupt) => {
    const answer = await callLianLian(world, '/payout/apply', applyFields({ card_no: corrupt(freshCard()) }));
    expect(answer.body.ret_code).toBe('4001');
  });

  it('refuses sub-fen amounts as malformed (1003) and unknown payouts as 8901', async () => {
    expect((await callLianLian(world, '/payout/apply', applyFields({ money_order: '10.001' }))).body.ret_code).toBe(
      '1003',
    );
    expect((await callLianLian(world, '/payout/query', { no_order: 'PO-NOPE' })).body.ret_code).toBe('8901');
    expect((await callLianLian(world, '/payout/confirm', { no_order: 'PO-NOPE' })).body.ret_code).toBe('8901');
  });
});

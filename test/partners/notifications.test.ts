import {
  LIANLIAN_ACK,
  XJP_ACK,
  verifyLianLianPayoutNotification,
  verifyXjpPaymentNotification,
} from '../../src/partners/notifications';
import { formatShanghaiTimestamp } from '../../src/partners/lianlian/shanghai-time';
import { generateRsaKeyPair, withSignature } from '../../src/partners/signing';

const xjpKeys = generateRsaKeyPair();
const lianlianKeys = generateRsaKeyPair();
const strangerKeys = generateRsaKeyPair();

const now = new Date('2026-11-23T08:00:00.000Z');
const minutesAgo = (minutes: number): Date => new Date(now.getTime() - minutes * 60_000);

function xjpFields(sentAt: Date = now) {
  return {
    notificationId: 'ntf_xjp_1',
    timestamp: sentAt.toISOString(),
    purchaseRecordId: 'PR20261123000001',
    xjpOrderId: 'XO1',
    xjpOrderNo: 'XJP20261123000001',
    payStatus: 'PAID',
    paidAmountFen: 1_000_000,
    paidAt: '2026-11-23T07:59:00.000Z',
    lianlianBillNo: 'LL2026112300001',
  };
}

function lianlianFields(sentAt: Date = now) {
  return {
    oid_partner: '201811220000001',
    no_order: 'po_1',
    dt_order: '20261123155000',
    money_order: '10042.50',
    oid_paybill: 'LLPB1',
    result_pay: 'SUCCESS',
    settle_date: '20261123',
    notification_id: 'ntf_ll_1',
    timestamp: formatShanghaiTimestamp(sentAt),
    sign_type: 'RSA',
  };
}

const checkXjp = (body: unknown) => verifyXjpPaymentNotification(body, { xjpPublicKeyPem: xjpKeys.publicKeyPem, now });
const checkLianLian = (body: unknown) =>
  verifyLianLianPayoutNotification(body, { lianlianPublicKeyPem: lianlianKeys.publicKeyPem, now });

describe('XJP payment notification verification', () => {
  it('accepts a fresh notification signed with XJP key and returns it typed', () => {
    const result = checkXjp(withSignature(xjpFields(), xjpKeys.privateKeyPem));
    expect(result).toEqual({ ok: true, notification: xjpFields() });
  });

  it('accepts one sent four minutes ago, inside the five-minute window', () => {
    expect(checkXjp(withSignature(xjpFields(minutesAgo(4)), xjpKeys.privateKeyPem)).ok).toBe(true);
  });

  it('rejects a tampered amount as BAD_SIGNATURE, naming the claimed notification', () => {
    const body = { ...withSignature(xjpFields(), xjpKeys.privateKeyPem), paidAmountFen: 1 };
    expect(checkXjp(body)).toEqual({ ok: false, reason: 'BAD_SIGNATURE', notificationId: 'ntf_xjp_1' });
  });

  it('rejects a notification signed with another key as BAD_SIGNATURE', () => {
    expect(checkXjp(withSignature(xjpFields(), strangerKeys.privateKeyPem))).toMatchObject({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
  });

  it('rejects a notification without sign as BAD_SIGNATURE', () => {
    expect(checkXjp(xjpFields())).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('rejects a correctly signed notification six minutes old as STALE', () => {
    const result = checkXjp(withSignature(xjpFields(minutesAgo(6)), xjpKeys.privateKeyPem));
    expect(result).toEqual({ ok: false, reason: 'STALE', notificationId: 'ntf_xjp_1' });
  });

  it('rejects a correctly signed notification dated six minutes ahead as STALE', () => {
    expect(checkXjp(withSignature(xjpFields(minutesAgo(-6)), xjpKeys.privateKeyPem))).toMatchObject({
      reason: 'STALE',
    });
  });

  it('rejects a correctly signed notification missing a field as MALFORMED', () => {
    const fields: Partial<ReturnType<typeof xjpFields>> = xjpFields();
    delete fields.lianlianBillNo;
    expect(checkXjp(withSignature(fields, xjpKeys.privateKeyPem))).toMatchObject({ ok: false, reason: 'MALFORMED' });
  });

  it.each([null, 'text', [1, 2], 42])('rejects a body that is not an object (%j) as MALFORMED', (body) => {
    expect(checkXjp(body)).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it('acknowledges with {"code":"SUCCESS"}', () => {
    expect(JSON.stringify(XJP_ACK)).toBe('{"code":"SUCCESS"}');
  });
});

describe('LianLian payout notification verification', () => {
  it('accepts a fresh notification signed with LianLian key, in fen and ISO times', () => {
    const result = checkLianLian(withSignature(lianlianFields(), lianlianKeys.privateKeyPem));
    expect(result).toEqual({
      ok: true,
      notification: {
        notificationId: 'ntf_ll_1',
        oidPartner: '201811220000001',
        payoutId: 'po_1',
        lianlianBillNo: 'LLPB1',
        amountFen: 1_004_250,
        resultPay: 'SUCCESS',
        settleDate: '20261123',
        orderedAt: '2026-11-23T07:50:00.000Z',
        sentAt: now.toISOString(),
      },
    });
  });

  it('rejects a tampered result as BAD_SIGNATURE, naming the claimed notification', () => {
    const body = { ...withSignature(lianlianFields(), lianlianKeys.privateKeyPem), result_pay: 'FAILURE' };
    expect(checkLianLian(body)).toEqual({ ok: false, reason: 'BAD_SIGNATURE', notificationId: 'ntf_ll_1' });
  });

  it('rejects a notification signed with XJP key instead of LianLian key as BAD_SIGNATURE', () => {
    expect(checkLianLian(withSignature(lianlianFields(), xjpKeys.privateKeyPem))).toMatchObject({
      reason: 'BAD_SIGNATURE',
    });
  });

  it('rejects a notification without sign as BAD_SIGNATURE', () => {
    expect(checkLianLian(lianlianFields())).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('rejects a correctly signed notification six minutes old as STALE', () => {
    expect(checkLianLian(withSignature(lianlianFields(minutesAgo(6)), lianlianKeys.privateKeyPem))).toEqual({
      ok: false,
      reason: 'STALE',
      notificationId: 'ntf_ll_1',
    });
  });

  it('honours a caller-chosen maxAgeMs', () => {
    const body = withSignature(lianlianFields(minutesAgo(2)), lianlianKeys.privateKeyPem);
    const result = verifyLianLianPayoutNotification(body, {
      lianlianPublicKeyPem: lianlianKeys.publicKeyPem,
      now,
      maxAgeMs: 60_000,
    });
    expect(result).toMatchObject({ ok: false, reason: 'STALE' });
  });

  it('rejects a correctly signed sub-fen amount as MALFORMED', () => {
    const body = withSignature({ ...lianlianFields(), money_order: '10.005' }, lianlianKeys.privateKeyPem);
    expect(checkLianLian(body)).toMatchObject({ ok: false, reason: 'MALFORMED' });
  });

  it('rejects a correctly signed unknown result_pay as MALFORMED', () => {
    const body = withSignature({ ...lianlianFields(), result_pay: 'DONE' }, lianlianKeys.privateKeyPem);
    expect(checkLianLian(body)).toMatchObject({ ok: false, reason: 'MALFORMED' });
  });

  it('acknowledges with {"ret_code":"0000","ret_msg":"ok"}', () => {
    expect(JSON.stringify(LIANLIAN_ACK)).toBe('{"ret_code":"0000","ret_msg":"ok"}');
  });
});

/** The Stripe-style signature: what the engine sends verifies, and anything altered, late or signed with another secret does not. */
import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from '../../src/webhooks/signature';

const SECRET = 'whsec-test-0123456789abcdef';
const BODY = '{"id":"evt_1","orderNo":"XJP20261202000001","toStatus":"PAID"}';
const T = 1_795_000_000;

test('the header is t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
  const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
  expect(signWebhook(SECRET, T, BODY)).toBe(`t=${T},v1=${expected}`);
});

test('a signature verifies against its body and secret within the tolerance, and not otherwise', () => {
  const header = signWebhook(SECRET, T, BODY);
  expect(verifyWebhookSignature(SECRET, header, BODY, T + 299)).toBe(true);
  expect(verifyWebhookSignature(SECRET, header, BODY.replace('PAID', 'EXPIRED'), T)).toBe(false);
  expect(verifyWebhookSignature('another-secret-0123456789', header, BODY, T)).toBe(false);
  expect(verifyWebhookSignature(SECRET, header, BODY, T + 301)).toBe(false);
  expect(verifyWebhookSignature(SECRET, header.replace(`t=${T}`, `t=${T + 1}`), BODY, T)).toBe(false);
  expect(verifyWebhookSignature(SECRET, `v1=${header.split('v1=')[1]}`, BODY, T)).toBe(false);
});

test('during a secret rotation a header may carry several v1 signatures: one matching is enough', () => {
  const ours = signWebhook(SECRET, T, BODY).split(',')[1];
  expect(verifyWebhookSignature(SECRET, `t=${T},v1=${'0'.repeat(64)},${ours}`, BODY, T)).toBe(true);
});

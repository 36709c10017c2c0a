import { canonicalString, generateRsaKeyPair, hasValidSignature, withSignature } from '../../src/partners/signing';

const keys = generateRsaKeyPair();

test('a value holding & and = does not sign like two fields: the signed texts differ and one signature never verifies the other', () => {
  const oneField = { a: '1&b=2' };
  const twoFields = { a: '1', b: '2' };
  expect(canonicalString(oneField)).not.toBe(canonicalString(twoFields));
  const signed = withSignature(twoFields, keys.privateKeyPem);
  expect(hasValidSignature(signed, keys.publicKeyPem)).toBe(true);
  expect(hasValidSignature({ ...oneField, sign: signed.sign }, keys.publicKeyPem)).toBe(false);
});

test('names and values are percent-encoded, sorted by name, empty fields and sign left out', () => {
  expect(canonicalString({ z: 'a b', a: 'x=y', empty: '', sign: 'ignored', nested: { k: 1 } })).toBe(
    'a=x%3Dy&nested=%7B%22k%22%3A1%7D&z=a%20b',
  );
});

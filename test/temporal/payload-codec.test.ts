import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { AesGcmPayloadCodec, KEY_ID_METADATA, PayloadCodecError } from '../../src/temporal/payload-codec';

const plain: Payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"name":"张三"}') };
const oldKey = { id: 'k1', key: randomBytes(32) };
const newKey = { id: 'k2', key: randomBytes(32) };

test('a payload encrypts to ciphertext under the first key and decrypts back to the same metadata and data', async () => {
  const codec = new AesGcmPayloadCodec([oldKey]);
  const [sealed] = await codec.encode([plain]);
  expect(Buffer.from(sealed?.metadata?.[KEY_ID_METADATA] ?? []).toString()).toBe('k1');
  expect(Buffer.from(sealed?.data ?? []).includes(Buffer.from('张三'))).toBe(false);
  const [opened] = await codec.decode([sealed!]);
  expect(Buffer.from(opened?.metadata?.encoding ?? []).toString()).toBe('json/plain');
  expect(Buffer.from(opened?.data ?? []).toString()).toBe('{"name":"张三"}');
});

test('after a rotation the new key encrypts and payloads under the old key still decrypt', async () => {
  const [before] = await new AesGcmPayloadCodec([oldKey]).encode([plain]);
  const rotated = new AesGcmPayloadCodec([newKey, oldKey]);
  const [after] = await rotated.encode([plain]);
  expect(Buffer.from(after?.metadata?.[KEY_ID_METADATA] ?? []).toString()).toBe('k2');
  const decoded = await rotated.decode([before!, after!]);
  expect(decoded.map((p) => Buffer.from(p.data ?? []).toString())).toEqual(['{"name":"张三"}', '{"name":"张三"}']);
});

test('a payload that was never encrypted (a history from before encryption) passes through unchanged', async () => {
  expect(await new AesGcmPayloadCodec([oldKey]).decode([plain])).toEqual([plain]);
});

test('a payload under a key that was dropped is refused as UNKNOWN_PAYLOAD_KEY', async () => {
  const [sealed] = await new AesGcmPayloadCodec([oldKey]).encode([plain]);
  await expect(new AesGcmPayloadCodec([newKey]).decode([sealed!])).rejects.toMatchObject({
    code: 'UNKNOWN_PAYLOAD_KEY',
  });
});

test('altered ciphertext, or a key id swapped onto it, fails authentication as PAYLOAD_TAMPERED', async () => {
  const codec = new AesGcmPayloadCodec([oldKey, { id: 'k1-copy', key: oldKey.key }]);
  const [sealed] = await codec.encode([plain]);
  const data = Buffer.from(sealed!.data!);
  data[20] = (data[20] ?? 0) ^ 1;
  await expect(codec.decode([{ ...sealed, data }])).rejects.toBeInstanceOf(PayloadCodecError);
  const relabelled = { ...sealed, metadata: { ...sealed!.metadata, [KEY_ID_METADATA]: Buffer.from('k1-copy') } };
  await expect(codec.decode([relabelled])).rejects.toMatchObject({ code: 'PAYLOAD_TAMPERED' });
});

import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PartnerError } from '../../src/partners/errors';
import { postSignedJson } from '../../src/partners/http';
import { generateRsaKeyPair } from '../../src/partners/signing';

async function freedPort(): Promise<number> {
  // A port that was just ours and is now closed: a real connection refusal, nothing faked.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('signed JSON POST', () => {
  it('classifies a refused connection as a RETRYABLE NETWORK error', async () => {
    const port = await freedPort();
    const call = postSignedJson({
      partner: 'XJP',
      url: `http://127.0.0.1:${port}/api/products/home`,
      fields: { partnerId: 'PLATFORM01' },
      platformPrivateKeyPem: generateRsaKeyPair().privateKeyPem,
      timeoutMs: 2_000,
    });
    await expect(call).rejects.toBeInstanceOf(PartnerError);
    await expect(call).rejects.toMatchObject({ partner: 'XJP', classification: 'RETRYABLE', code: 'NETWORK' });
  });
});

import { randomUUID } from 'node:crypto';
import type { DevStack } from './stack';

/** A purchase of the seeded 90-day product (step 10 yuan) by a made-up investor, valid as the API checks it. */
const SAMPLE_PURCHASE = {
  memberId: 'M10001',
  productId: 'XJP-P-0002',
  amountFen: 1_000_000,
  investor: { name: '张三', mobile: '13800138000', idCardNo: '11010519491231002X', email: 'zhangsan@example.com' },
  bankCard: { cardNo: '6222020200112233446', bankCode: 'ICBC' },
  channel: 'PC',
};

/** The member token header in a copy-paste shell line: minted by the stack's script, fresh per command. */
const MEMBER_TOKEN = `-H "authorization: Bearer $(npm run -s member-token -- ${SAMPLE_PURCHASE.memberId})"`;

/** A copy-paste `curl` that buys the sample product as its member (a fresh Idempotency-Key each time it is printed). */
export function sampleCurl(stack: Pick<DevStack, 'urls' | 'apiKey'>): string {
  return [
    `curl -s -X POST ${stack.urls.api}/v1/purchases \\`,
    `  -H 'content-type: application/json' -H 'x-api-key: ${stack.apiKey}' \\`,
    `  ${MEMBER_TOKEN} \\`,
    `  -H 'idempotency-key: dev-${randomUUID()}' \\`,
    `  -d '${JSON.stringify(SAMPLE_PURCHASE)}'`,
  ].join('\n');
}

/** What `npm run dev` prints once everything answers. */
export function devBanner(stack: DevStack): string {
  const { urls } = stack;
  return `
小金票 order engine: dev stack running (data in ${stack.dataDir}; Ctrl-C stops everything)

  API               ${urls.api}    X-Api-Key: ${stack.apiKey}
  Temporal Web UI   ${urls.temporalUi}    (gRPC ${urls.temporal}, namespace default)
  Payload codec     ${urls.codec}    (payloads encrypted with ${stack.payloadKeysFile}; the Web UI decodes
                    them through this relay to ${urls.api}/codec as the dev-viewer operator)
  XJP simulator     ${urls.xjpSim}    state: ${urls.xjpSim}/admin/state
  LianLian cashier  ${urls.lianlianSim}/cashier/<token>    (the paymentUrl a purchase answers with)
  Webhook receiver  ${urls.webhookReceiver}    (the platform's stand-in: each order event it is sent
                    shows in this log as "webhook …", signature verified)

Buy a product:

${sampleCurl(stack)}

Open the answer's paymentUrl in a browser and press Pay (or: curl -s -X POST <paymentUrl>/pay),
then follow the order: curl -s -H 'x-api-key: ${stack.apiKey}' ${MEMBER_TOKEN} ${urls.api}/v1/purchases/<orderNo>
(every /v1 call that acts for a member needs a member token; one token serves one buy, cancel or withdraw)
`;
}

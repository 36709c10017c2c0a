import { z } from 'zod';
import { withSignature } from '../../../src/partners/signing';
import { fenToYuan } from '../common/yuan';
import { formatShanghaiTimestamp } from '../common/shanghai-time';
import { XjpRefusal, type SimOrder } from './store';

const createAnswerSchema = z.object({
  ret_code: z.string(),
  ret_msg: z.string().optional(),
  cashier_url: z.string().optional(),
});

/** How XJP reaches LianLian to collect an investor's payment. */
export interface PaymentGatewaySettings {
  lianlianBaseUrl: string;
  oidPartner: string;
  xjpPrivateKeyPem: string;
  timeoutMs: number;
  /** Minutes the investor has to pay (LianLian's `valid_order`). */
  paymentWindowMinutes: number;
  /** Where the cashier sends the investor back to after paying (LianLian's `url_return`), if anywhere. */
  returnUrl: string | undefined;
}

/** What LianLian's payment is created from: a fixed-term order, or a demand subscription shaped as one. */
export type PaymentOrder = Pick<
  SimOrder,
  'xjpOrderNo' | 'orderTime' | 'amountFen' | 'productName' | 'purchaseRecordId'
>;

/**
 * Creates the payment for an order at LianLian and returns its cashier URL. LianLian is
 * idempotent on `no_order`, so retrying after a lost answer yields the same cashier.
 */
export async function createPayment(
  settings: PaymentGatewaySettings,
  order: PaymentOrder,
  notifyUrl: string,
): Promise<string> {
  const body = withSignature(
    {
      oid_partner: settings.oidPartner,
      timestamp: formatShanghaiTimestamp(new Date()),
      sign_type: 'RSA',
      no_order: order.xjpOrderNo,
      dt_order: formatShanghaiTimestamp(new Date(order.orderTime)),
      money_order: fenToYuan(order.amountFen),
      name_goods: order.productName,
      // The platform's order number, so the investor recognises the order on the cashier.
      info_order: order.purchaseRecordId,
      valid_order: String(settings.paymentWindowMinutes),
      ...(settings.returnUrl === undefined ? {} : { url_return: settings.returnUrl }),
      notify_url: notifyUrl,
    },
    settings.xjpPrivateKeyPem,
  );
  let answer: z.infer<typeof createAnswerSchema>;
  try {
    const response = await fetch(`${settings.lianlianBaseUrl}/gateway/pay/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    answer = createAnswerSchema.parse(await response.json());
  } catch (error) {
    throw new XjpRefusal(
      502,
      'PAYMENT_GATEWAY_ERROR',
      `LianLian unreachable: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (answer.ret_code !== '0000' || answer.cashier_url === undefined) {
    throw new XjpRefusal(
      502,
      'PAYMENT_GATEWAY_ERROR',
      `LianLian refused the payment: ${answer.ret_code} ${answer.ret_msg ?? ''}`,
    );
  }
  return answer.cashier_url;
}

import type { z } from 'zod';
import { PartnerError, malformedResponse } from '../errors';
import { postSignedJson } from '../http';
import {
  LIANLIAN_SUCCESS,
  lianLianReturnSchema,
  payoutApplicationSchema,
  payoutStatementSchema,
  payoutStatusSchema,
  refundStatementSchema,
  refundStatusSchema,
  type PayoutApplication,
  type PayoutStatement,
  type PayoutStatus,
  type RefundStatement,
  type RefundStatus,
} from './schemas';
import { formatShanghaiTimestamp } from './shanghai-time';
import { fenToYuan } from './yuan';

/** How to reach LianLian and sign for the platform. */
export interface LianLianClientOptions {
  baseUrl: string;
  oidPartner: string;
  platformPrivateKeyPem: string;
  timeoutMs: number;
  /** The clock for request timestamps; tests may pin it. */
  now?: () => Date;
}

/** A payout (代付) to an investor's bank card. */
export interface ApplyPayoutInput {
  /** Our payout id, LianLian's `no_order`: the idempotency key. */
  payoutId: string;
  amountFen: number;
  cardNo: string;
  accountName: string;
  bankCode: string;
  /** What the payout is for, shown on the statement (`info_order`). */
  info: string;
  notifyUrl: string;
  /** When we created the payout (`dt_order`); fixed per payoutId so a retry repeats it exactly. */
  orderedAt: Date;
}

/** A refund (退款) of a cashier payment, back to the card it was paid from. */
export interface ApplyRefundInput {
  /** Our refund id, LianLian's `no_refund`: the idempotency key. */
  refundId: string;
  /** The payment's LianLian bill (`oid_paybill`). */
  paymentBillNo: string;
  amountFen: number;
  notifyUrl: string;
  /** When we created the refund (`dt_refund`); fixed per refundId so a retry repeats it exactly. */
  orderedAt: Date;
}

/**
 * Typed calls to LianLian's payout and refund APIs; every failed call is a {@link PartnerError}. An amount
 * that is not whole non-negative fen throws `YuanAmountError` before anything is sent.
 */
export interface LianLianClient {
  applyPayout(input: ApplyPayoutInput): Promise<PayoutApplication>;
  /** Releases a payout held in CHECK as a suspected duplicate; resolves once LianLian accepts. */
  confirmPayout(input: { payoutId: string }): Promise<void>;
  queryPayout(query: { payoutId: string }): Promise<PayoutStatus>;
  /** The payouts ordered on a date (`YYYY-MM-DD`, Asia/Shanghai; sent as `bill_date` yyyyMMdd). */
  payoutStatement(query: { date: string }): Promise<PayoutStatement>;
  applyRefund(input: ApplyRefundInput): Promise<RefundStatus>;
  queryRefund(query: { refundId: string }): Promise<RefundStatus>;
  /** The refunds applied for on a date (`YYYY-MM-DD`, Asia/Shanghai). */
  refundStatement(query: { date: string }): Promise<RefundStatement>;
}

/** Creates a LianLian client speaking docs/partner-wire.md. */
export function createLianLianClient(options: LianLianClientOptions): LianLianClient {
  const now = options.now ?? (() => new Date());
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  async function call<T extends z.ZodType>(
    path: string,
    fields: Record<string, string>,
    answerSchema: T,
  ): Promise<z.infer<T>> {
    const answer = await postSignedJson({
      partner: 'LIANLIAN',
      url: `${baseUrl}${path}`,
      fields: {
        oid_partner: options.oidPartner,
        timestamp: formatShanghaiTimestamp(now()),
        sign_type: 'RSA',
        ...fields,
      },
      platformPrivateKeyPem: options.platformPrivateKeyPem,
      timeoutMs: options.timeoutMs,
    });
    const result = lianLianReturnSchema.safeParse(answer.body);
    if (!result.success) throw malformedResponse('LIANLIAN', `${path}: no ret_code (${answer.status})`, answer.status);
    const { ret_code: code, ret_msg: message } = result.data;
    if (code !== LIANLIAN_SUCCESS) {
      // Refusals keep LianLian's numeric reason code whatever HTTP status carried them.
      throw new PartnerError({
        partner: 'LIANLIAN',
        classification: 'FINAL',
        code,
        message: message ?? `${path} refused`,
        httpStatus: answer.status,
      });
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw malformedResponse('LIANLIAN', `${path}: ret_code ${code} with status ${answer.status}`, answer.status);
    }
    const parsed = answerSchema.safeParse(answer.body);
    if (!parsed.success) throw malformedResponse('LIANLIAN', `${path}: ${parsed.error.message}`, answer.status);
    return parsed.data;
  }

  return {
    // Money-moving and idempotent on payoutId (no_order): a retry with the same content returns the
    // same payout; different content under the same payoutId is refused with 4002.
    applyPayout: (input) =>
      call(
        '/gateway/payout/apply',
        {
          no_order: input.payoutId,
          dt_order: formatShanghaiTimestamp(input.orderedAt),
          money_order: fenToYuan(input.amountFen),
          card_no: input.cardNo,
          acct_name: input.accountName,
          bank_code: input.bankCode,
          info_order: input.info,
          notify_url: input.notifyUrl,
        },
        payoutApplicationSchema,
      ),
    // Money-moving (it lets a held payout go out) and idempotent on payoutId.
    confirmPayout: async ({ payoutId }) => {
      await call('/gateway/payout/confirm', { no_order: payoutId }, lianLianReturnSchema);
    },
    queryPayout: ({ payoutId }) => call('/gateway/payout/query', { no_order: payoutId }, payoutStatusSchema),
    payoutStatement: ({ date }) =>
      call('/gateway/statement/payout', { bill_date: date.replace(/-/g, '') }, payoutStatementSchema),
    // Money-moving and idempotent on refundId (no_refund); LianLian refuses refunds beyond what arrived.
    applyRefund: (input) =>
      call(
        '/gateway/refund/apply',
        {
          no_refund: input.refundId,
          dt_refund: formatShanghaiTimestamp(input.orderedAt),
          money_refund: fenToYuan(input.amountFen),
          oid_paybill: input.paymentBillNo,
          notify_url: input.notifyUrl,
        },
        refundStatusSchema,
      ),
    queryRefund: ({ refundId }) => call('/gateway/refund/query', { no_refund: refundId }, refundStatusSchema),
    refundStatement: ({ date }) =>
      call('/gateway/statement/refund', { bill_date: date.replace(/-/g, '') }, refundStatementSchema),
  };
}

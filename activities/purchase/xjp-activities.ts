import type { QueriedPayment } from '../../src/domain/payment-check';
import { ApplicationFailure } from '@temporalio/activity';
import { readInvestorPii, recordOrderNote, requireOrder, type InvestorPii } from '../../src/db/repositories/orders';
import { upsertRedemption } from '../../src/db/repositories/redemptions';
import {
  findUserAccount,
  recordUserAccount,
  replaceUserAccount,
  UserAccountConflictError,
} from '../../src/db/repositories/user-accounts';
import type { ActivityDependencies } from '../dependencies';
import { callPartner, isRefusal } from '../partner-failure';

/** A refusal no retry can mend: the account number is someone else's; a person must look. */
/** A subscription as the run asks for it; a reinvestment (续投) names the redeemed XJP order that pays it. */
export interface SubscriptionCall {
  orderNo: string;
  productId: string;
  amountFen: number;
  fundedByXjpOrderNo?: string;
}

function accountConflict(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'XJP_ACCOUNT_CONFLICT');
}

function investorContact(investor: InvestorPii) {
  return { name: investor.name, mobile: investor.mobile, idCardNo: investor.idCardNo, email: investor.email ?? '' };
}

/** The calls to XJP a purchase makes, each idempotent on a request id derived from the order number. */
export function createXjpActivities({ orm, xjp, pii }: ActivityDependencies) {
  async function loadOrder(orderNo: string) {
    const em = orm.em.fork();
    return { em, order: await requireOrder(em, orderNo) };
  }

  /** The account as XJP knows it, or undefined when XJP does not know the number. */
  async function checkAccount(accountNo: string) {
    try {
      return await callPartner(() => xjp.checkAccount({ accountNo }));
    } catch (err) {
      if (err instanceof ApplicationFailure && err.type === 'ACCOUNT_NOT_FOUND') return undefined;
      throw err;
    }
  }

  const calls = {
    /**
     * The investor's XJP account, checked with XJP (账户检查) before every subscription. A stored
     * account XJP no longer knows is re-opened (idempotent per member at XJP) and the row updated,
     * with an event on the order; an account number that belongs to another member, here or at XJP,
     * refuses the order with XJP_ACCOUNT_CONFLICT instead of retrying a write that can never succeed.
     */
    async ensureXjpAccount(input: { orderNo: string; channel: string }): Promise<{ accountNo: string }> {
      const { em, order } = await loadOrder(input.orderNo);
      const stored = await findUserAccount(em, order.memberId);
      if (stored) {
        const known = await checkAccount(stored.accountId);
        if (known?.memberId === order.memberId) return { accountNo: stored.accountId };
        if (known)
          throw accountConflict(`XJP holds account ${stored.accountId} for another member than ${order.memberId}`);
      }
      const account = await callPartner(() =>
        xjp.openAccount({
          requestId: `${order.orderNo}-ACCOUNT`,
          channel: input.channel,
          memberId: order.memberId,
          ...investorContact(readInvestorPii(order, pii)),
        }),
      );
      try {
        if (!stored) {
          // Two orders of one member may open concurrently: XJP answers both with the same account; one row is kept.
          await recordUserAccount(em, pii, {
            memberId: order.memberId,
            accountId: account.accountNo,
            accountName: account.accountName,
            at: new Date(),
          });
        } else if (stored.accountId !== account.accountNo) {
          const { previousAccountId } = await replaceUserAccount(em, pii, {
            memberId: order.memberId,
            accountId: account.accountNo,
            accountName: account.accountName,
          });
          await recordOrderNote(orm.em.fork(), {
            orderNo: order.orderNo,
            cause: 'XJP_ACCOUNT_REOPENED',
            actor: 'SYSTEM',
            detail: { previousAccountNo: previousAccountId, accountNo: account.accountNo },
            at: new Date(),
          });
        }
      } catch (err) {
        if (err instanceof UserAccountConflictError) throw accountConflict(err.message);
        throw err;
      }
      return { accountNo: account.accountNo };
    },

    /** Subscribes at XJP (locks quota); idempotent on our purchase record id, the order number. */
    async subscribeAtXjp(input: SubscriptionCall & { accountNo: string }) {
      const xjpOrder = await callPartner(() =>
        xjp.subscribe({
          requestId: `${input.orderNo}-SUBSCRIBE`,
          purchaseRecordId: input.orderNo,
          productId: input.productId,
          accountNo: input.accountNo,
          amountFen: input.amountFen,
          ...(input.fundedByXjpOrderNo === undefined ? {} : { fundedByXjpOrderNo: input.fundedByXjpOrderNo }),
        }),
      );
      return {
        xjpOrderId: xjpOrder.xjpOrderId,
        xjpOrderNo: xjpOrder.xjpOrderNo,
        cashierUrl: xjpOrder.cashierUrl,
        orderTime: xjpOrder.orderTime,
        maturityInterestFen: xjpOrder.maturityInterestFen,
        interestStartDate: xjpOrder.interestStartDate,
        interestEndDate: xjpOrder.interestEndDate,
      };
    },
  };

  return {
    ...calls,

    /**
     * The investor's account, then the subscription, in one dispatch: the fewer round trips before
     * `POST /v1/purchases` can answer, the sooner it does. Both steps are idempotent, so a retry
     * after a lost answer repeats them safely (the account is found, the subscription answered again).
     */
    async subscribeInvestor(input: SubscriptionCall & { channel: string }) {
      const { channel, ...subscription } = input;
      const { accountNo } = await calls.ensureXjpAccount({ orderNo: input.orderNo, channel });
      return calls.subscribeAtXjp({ ...subscription, accountNo });
    },

    /** Cancels an unpaid subscription at XJP (quota released); idempotent; says so when XJP was paid first. */
    async cancelXjpSubscription(input: {
      orderNo: string;
      xjpOrderNo: string;
    }): Promise<{ outcome: 'CANCELLED' | 'ALREADY_PAID' }> {
      try {
        await callPartner(() =>
          xjp.cancelSubscription({ requestId: `${input.orderNo}-CANCEL`, xjpOrderNo: input.xjpOrderNo }),
        );
        return { outcome: 'CANCELLED' };
      } catch (err) {
        if (
          isRefusal(err, 'ORDER_ALREADY_PAID') ||
          (err instanceof ApplicationFailure && err.type === 'ORDER_ALREADY_PAID')
        ) {
          return { outcome: 'ALREADY_PAID' };
        }
        throw err;
      }
    },

    /** XJP's payment-result query: the truth when a notification is late or lost. */
    async queryXjpPayment(input: { xjpOrderNo: string }): Promise<QueriedPayment> {
      const payment = await callPartner(() => xjp.queryPayment({ xjpOrderNo: input.xjpOrderNo }));
      return payment.payStatus === 'PAID'
        ? { paid: true, paidAt: payment.paidAt, paidAmountFen: payment.paidAmountFen, billNo: payment.lianlianBillNo }
        : { paid: false };
    },

    /** Redeems the order at XJP at maturity (idempotent on the order) and records the settlement. */
    async redeemAtXjp(input: {
      orderNo: string;
      xjpOrderNo: string;
    }): Promise<{ principalFen: number; interestFen: number; totalFen: number }> {
      const redemption = await callPartner(() =>
        xjp.redeem({ requestId: `${input.orderNo}-REDEEM`, xjpOrderNo: input.xjpOrderNo }),
      );
      await upsertRedemption(orm.em.fork(), {
        orderNo: input.orderNo,
        status: 'SETTLED',
        xjpRedemptionId: redemption.redemptionId,
        principalFen: redemption.principalFen,
        interestFen: redemption.interestFen,
        at: new Date(),
        settledAt: new Date(redemption.settledAt),
      });
      return {
        principalFen: redemption.principalFen,
        interestFen: redemption.interestFen,
        totalFen: redemption.totalFen,
      };
    },
  };
}

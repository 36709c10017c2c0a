import type { PurchaseOrder } from '../../db/entities/purchase-order';
import type { PiiCipher } from '../../db/pii-cipher';
import { maskIdCard } from '../../db/pii-mask';
import { shanghaiDate } from '../../domain/calendar';
import { fenToChineseCapitals } from '../../domain/chinese-amount';
import { formatRate, rateFromMicros, rateToDecimalString } from '../../domain/rate';
import { serviceFeeFen } from '../../domain/redemption-terms';
import { HttpError } from '../http-error';
import { PARTY_NAMES } from './documents/parties';
import type { ContractView } from './schemas';

/**
 * The investment agreement of one order, from the terms frozen on the order when XJP confirmed the
 * subscription. Before that (CREATED, or refused) there are no confirmed terms, so no agreement.
 * The investor is named in full (the agreement is theirs) and the ID number masked.
 */
export function contractView(order: PurchaseOrder, pii: PiiCipher): ContractView {
  const { interestStartDate, maturityDate, expectedInterestFen } = order;
  if (interestStartDate === null || maturityDate === null || expectedInterestFen === null) {
    throw new HttpError(
      409,
      'CONTRACT_NOT_AVAILABLE',
      `order ${order.orderNo} is ${order.status}: its terms are not confirmed by XJP, so there is no contract`,
    );
  }
  const rate = rateFromMicros(order.annualRateMicros);
  const feeFen = serviceFeeFen(order.redemptionTerms?.serviceFee, expectedInterestFen);
  return {
    contractNo: `HT-${order.orderNo}`,
    orderNo: order.orderNo,
    xjpOrderNo: order.xjpOrderNo,
    status: order.status,
    contractDate: shanghaiDate(order.createdAt),
    parties: {
      issuer: PARTY_NAMES.issuer.zh,
      distributor: PARTY_NAMES.distributor.zh,
      acceptingBank: order.acceptingBank,
    },
    investor: {
      memberId: order.memberId,
      name: pii.decrypt(order.investorNameEnc),
      idCardNoMasked: maskIdCard(pii.decrypt(order.idCardNoEnc)),
      bankCardMasked: order.bankCardMasked,
    },
    product: {
      productId: order.productId,
      productCode: order.productCode,
      name: order.productName,
      term: { unit: order.termUnit, value: order.termValue },
      dayCountBasis: order.dayCountBasis,
      interestStartRule: order.interestStartRule,
      payoutMode: order.payoutMode,
      earlyRedemption: order.redemptionTerms?.earlyRedemption ?? null,
      serviceFee: order.redemptionTerms?.serviceFee ?? null,
    },
    amountFen: order.amountFen,
    amountInCapitals: fenToChineseCapitals(order.amountFen),
    annualRate: rateToDecimalString(rate),
    annualRatePercent: formatRate(rate),
    orderedAt: order.createdAt.toISOString(),
    paidAt: order.paidAt?.toISOString() ?? null,
    interestStartDate,
    maturityDate,
    expectedInterestFen,
    maturityAmountFen: order.amountFen + expectedInterestFen,
    serviceFeeFen: feeFen,
    maturityPayoutFen: order.amountFen + expectedInterestFen - feeFen,
    acceptance: { at: order.createdAt.toISOString(), channel: order.channel },
  };
}

import type { PurchaseOrder } from '../../db/entities/purchase-order';
import { formatRate, rateFromMicros, rateToDecimalString } from '../../domain/rate';
import { HttpError } from '../http-error';
import type { ContractView } from './schemas';

/**
 * The investment contract of one order, from the terms frozen on the order when XJP confirmed the
 * subscription. Before that (CREATED, or refused) there are no confirmed terms, so no contract.
 */
export function contractView(order: PurchaseOrder): ContractView {
  const { interestStartDate, maturityDate, expectedInterestFen } = order;
  if (interestStartDate === null || maturityDate === null || expectedInterestFen === null) {
    throw new HttpError(409, 'CONTRACT_NOT_AVAILABLE', `order ${order.orderNo} is ${order.status}: its terms are not confirmed by XJP, so there is no contract`);
  }
  const rate = rateFromMicros(order.annualRateMicros);
  return {
    contractNo: `HT-${order.orderNo}`,
    orderNo: order.orderNo,
    xjpOrderNo: order.xjpOrderNo,
    status: order.status,
    investor: { memberId: order.memberId, nameMasked: order.investorNameMasked, bankCardMasked: order.bankCardMasked },
    product: {
      productId: order.productId,
      productCode: order.productCode,
      name: order.productName,
      term: { unit: order.termUnit, value: order.termValue },
      dayCountBasis: order.dayCountBasis,
    },
    amountFen: order.amountFen,
    annualRate: rateToDecimalString(rate),
    annualRatePercent: formatRate(rate),
    orderedAt: order.createdAt.toISOString(),
    paidAt: order.paidAt?.toISOString() ?? null,
    interestStartDate,
    maturityDate,
    expectedInterestFen,
    maturityAmountFen: order.amountFen + expectedInterestFen,
  };
}

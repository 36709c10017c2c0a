import type { ProductSnapshot } from '../../domain/order-terms';
import type { XjpProduct } from './schemas';

/** What a purchase keeps of an XJP product fetched for it: the terms it freezes and the offer it is checked against. */
export function productSnapshot(product: XjpProduct): ProductSnapshot {
  return {
    terms: {
      productId: product.productId,
      productCode: product.productCode,
      productName: product.name,
      annualRate: product.annualRate,
      term: { unit: product.termUnit, value: product.term },
      dayCountBasis: product.dayCountBasis,
      interestStartRule: product.interestStartRule,
      payoutMode: product.payoutMode,
      acceptingBank: product.acceptingBank,
      redemption: {
        ...(product.earlyRedemption === undefined ? {} : { earlyRedemption: product.earlyRedemption }),
        ...(product.serviceFee === undefined ? {} : { serviceFee: product.serviceFee }),
      },
    },
    offer: {
      status: product.status,
      minAmountFen: product.minAmountFen,
      stepAmountFen: product.stepAmountFen,
      raiseTargetFen: product.raiseTargetFen,
      raisedFen: product.raisedFen,
    },
  };
}

import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Search attributes operators filter on in the Web UI; registered on the dev server at start-up. */
export const searchAttributes = {
  orderNo: defineSearchAttributeKey('XjpOrderNo', SearchAttributeType.KEYWORD),
  memberId: defineSearchAttributeKey('XjpMemberId', SearchAttributeType.KEYWORD),
  productId: defineSearchAttributeKey('XjpProductId', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('XjpOrderStatus', SearchAttributeType.KEYWORD),
  maturityDate: defineSearchAttributeKey('XjpMaturityDate', SearchAttributeType.DATETIME),
  /** What the run waits for (`PAYMENT`, `OPERATOR_REVIEW`, `PAYOUT`, …). */
  awaiting: defineSearchAttributeKey('XjpAwaiting', SearchAttributeType.KEYWORD),
  /** Why a run waits for a person (a payout parked with its reason code); absent otherwise. */
  parkReason: defineSearchAttributeKey('XjpParkReason', SearchAttributeType.KEYWORD),
  /** On a reinvested order's run (续投): the matured order whose funds bought it, so the chain is one filter away. */
  previousOrderNo: defineSearchAttributeKey('XjpPreviousOrderNo', SearchAttributeType.KEYWORD),
} as const;

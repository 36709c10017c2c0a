import { DemandHoldingSchema, DemandIncomeSchema, DemandMovementSchema, DemandSubscriptionSchema } from './demand';
import { DemandPayoutSchema } from './demand-payout';
import { InterestAccrualSchema } from './interest-accrual';
import { LedgerCorrectionSchema } from './ledger-correction';
import { MemberTokenUseSchema } from './member-token-use';
import { OrderEventSchema } from './order-event';
import { OrderNumberCounterSchema } from './order-number-counter';
import { PartnerNotificationSchema } from './partner-notification';
import { PayoutSchema } from './payout';
import { ProductDisplayChangeSchema, ProductDisplaySchema } from './product-display';
import { PurchaseOrderSchema } from './purchase-order';
import { ReconciliationFindingSchema } from './reconciliation-finding';
import { ReconciliationRunSchema } from './reconciliation-run';
import { RedemptionSchema } from './redemption';
import { RedemptionEntrySchema } from './redemption-entry';
import { RefundSchema } from './refund';
import { UserAccountSchema } from './user-account';
import { WebhookDeliveryAttemptSchema, WebhookDeliverySchema, WebhookEventSchema } from './webhook';

/** Every entity the ORM knows; the one list the config, the CLI and the tests share. */
export const ENTITIES = [
  UserAccountSchema,
  PurchaseOrderSchema,
  OrderEventSchema,
  InterestAccrualSchema,
  LedgerCorrectionSchema,
  RedemptionSchema,
  RedemptionEntrySchema,
  PayoutSchema,
  RefundSchema,
  PartnerNotificationSchema,
  OrderNumberCounterSchema,
  ReconciliationRunSchema,
  ReconciliationFindingSchema,
  MemberTokenUseSchema,
  WebhookEventSchema,
  WebhookDeliverySchema,
  WebhookDeliveryAttemptSchema,
  ProductDisplaySchema,
  ProductDisplayChangeSchema,
  DemandHoldingSchema,
  DemandIncomeSchema,
  DemandMovementSchema,
  DemandSubscriptionSchema,
  DemandPayoutSchema,
];

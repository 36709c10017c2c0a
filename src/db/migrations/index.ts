import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123160540 } from './Migration20261123160540';
import { Migration20261124020000 } from './Migration20261124020000';
import { Migration20261202063000 } from './Migration20261202063000';
import { Migration20261202070000 } from './Migration20261202070000';
import { Migration20261202080000 } from './Migration20261202080000';
import { Migration20261202150000 } from './Migration20261202150000';
import { Migration20261202160000 } from './Migration20261202160000';
import { Migration20261202170000 } from './Migration20261202170000';
import { Migration20261202180000 } from './Migration20261202180000';
import { Migration20261207190000 } from './Migration20261207190000';
import { Migration20261207200000 } from './Migration20261207200000';
import { Migration20261207210000 } from './Migration20261207210000';
import { Migration20261207220000 } from './Migration20261207220000';
import { Migration20261208010000 } from './Migration20261208010000';
import { Migration20261208020000 } from './Migration20261208020000';

/**
 * Every migration, oldest first. Listed explicitly (not discovered by glob) so the same list runs
 * under tsx, compiled JavaScript and jest; `npm run db:migration:create` prints the line to add.
 */
export const MIGRATIONS: MigrationObject[] = [
  // The initial schema: orders and their audit trail, accruals, redemptions, payouts, the notification inbox.
  { name: 'Migration20261123160540', class: Migration20261123160540 },
  // Daily reconciliation: run summaries and their findings.
  { name: 'Migration20261124020000', class: Migration20261124020000 },
  // Trust boundaries: member token ids, idempotency keys per member, encrypted account names, bounded refused notifications.
  { name: 'Migration20261202063000', class: Migration20261202063000 },
  // The agreement's accepting bank and acceptance channel, frozen on the order.
  { name: 'Migration20261202070000', class: Migration20261202070000 },
  // Money safety: one successful payout per order (partial unique index), finance's ledger corrections.
  { name: 'Migration20261202080000', class: Migration20261202080000 },
  // Reconciliation covers redemptions and dates: a finding's category, DATE_MISMATCH findings and their count.
  { name: 'Migration20261202150000', class: Migration20261202150000 },
  // Refunds: one row per refund attempt of a payment, one successful refund per payment.
  { name: 'Migration20261202160000', class: Migration20261202160000 },
  // The end-of-day accrual batch: how an order's ledger spreads interest (agreed figure or none), accruing orders by id.
  { name: 'Migration20261202170000', class: Migration20261202170000 },
  // Webhooks to the platform: the outbox of order events, their deliveries per endpoint, the log of every attempt.
  { name: 'Migration20261202180000', class: Migration20261202180000 },
  // The home page's display settings: hot/hidden per XJP product, and the trail of their changes.
  { name: 'Migration20261207190000', class: Migration20261207190000 },
  // Early redemption and the service fee: redemption terms on the order, redemption entries, payout deductions.
  { name: 'Migration20261207200000', class: Migration20261207200000 },
  // The demand product: holdings, their daily income rows (unique per holding and day), subscriptions and redemptions.
  { name: 'Migration20261207210000', class: Migration20261207210000 },
  // Reinvestment at maturity: the order a reinvested order was bought with.
  { name: 'Migration20261207220000', class: Migration20261207220000 },
  // Demand subscriptions paid through LianLian's cashier: awaiting payment, confirmed, expired, refused and refunded.
  { name: 'Migration20261208010000', class: Migration20261208010000 },
  // Demand redemptions paid out through LianLian 代付: one row per attempt, one success per redemption.
  { name: 'Migration20261208020000', class: Migration20261208020000 },
];

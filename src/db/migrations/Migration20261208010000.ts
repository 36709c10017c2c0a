import { Migration } from '@mikro-orm/migrations';

/**
 * Demand subscriptions paid through LianLian's cashier (issue 16): each from placement (awaiting
 * payment) to confirmed, expired, or refused and refunded, with its payment; the payment
 * notification route finds the holding by it. The nightly reconciliation stores demand findings:
 * three more finding categories.
 */
export class Migration20261208010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "demand_subscription" ("id" text not null, "holding_id" text not null, "amount_fen" bigint not null, "xjp_subscription_no" text not null, "status" text check ("status" in ('AWAITING_PAYMENT', 'CONFIRMED', 'EXPIRED', 'REFUSED', 'PAID_AFTER_EXPIRY')) not null, "payment_url" text not null, "requested_at" timestamptz not null, "pay_before" timestamptz not null, "paid_at" timestamptz null, "payment_bill_no" text null, "reason_code" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "demand_subscription_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "demand_subscription" add constraint "demand_subscription_xjp_subscription_no_unique" unique ("xjp_subscription_no");`,
    );
    this.addSql(`create index "demand_subscription_holding_id_index" on "demand_subscription" ("holding_id");`);
    this.addSql(
      `alter table "demand_subscription" add constraint "demand_subscription_holding_id_foreign" foreign key ("holding_id") references "demand_holding" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "reconciliation_finding" drop constraint if exists "reconciliation_finding_category_check";`,
    );
    this.addSql(
      `alter table "reconciliation_finding" add constraint "reconciliation_finding_category_check" check("category" in ('SUBSCRIPTION', 'REDEMPTION', 'PAYOUT', 'REFUND', 'DEMAND_SUBSCRIPTION', 'DEMAND_REDEMPTION', 'DEMAND_INCOME'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "reconciliation_finding" where "category" like 'DEMAND_%';`);
    this.addSql(
      `alter table "reconciliation_finding" drop constraint if exists "reconciliation_finding_category_check";`,
    );
    this.addSql(
      `alter table "reconciliation_finding" add constraint "reconciliation_finding_category_check" check("category" in ('SUBSCRIPTION', 'REDEMPTION', 'PAYOUT', 'REFUND'));`,
    );
    this.addSql(`drop table if exists "demand_subscription" cascade;`);
  }
}

import { Migration } from '@mikro-orm/migrations';

/** Refunds (issue 10): one row per refund attempt of a payment, at most one successful refund per payment. */
export class Migration20261202160000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "refund" ("id" text not null, "refund_no" text not null, "order_no" text null, "xjp_order_no" text not null, "payment_bill_no" text not null, "attempt" int not null, "amount_fen" bigint not null, "cause" text check ("cause" in ('PAID_AFTER_CLOSE', 'OVERPAID', 'PAYMENT_REFUSED', 'UNKNOWN_ORDER')) not null, "status" text check ("status" in ('AWAITING_APPROVAL', 'PENDING', 'PROCESSING', 'SUCCESS', 'FAILURE', 'REFUNDED_BY_HAND')) not null, "lianlian_refund_no" text null, "operator" text null, "evidence_ref" text null, "last_error" text null, "settle_date" date null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "settled_at" timestamptz null, constraint "refund_pkey" primary key ("id"), constraint refund_amount_positive check (amount_fen > 0), constraint refund_attempt_positive check (attempt > 0));`,
    );
    this.addSql(`alter table "refund" add constraint "refund_refund_no_unique" unique ("refund_no");`);
    this.addSql(`create index "refund_order_no_index" on "refund" ("order_no");`);
    this.addSql(
      `alter table "refund" add constraint "refund_payment_bill_no_attempt_unique" unique ("payment_bill_no", "attempt");`,
    );
    this.addSql(
      `create unique index "refund_one_success_per_payment" on "refund" ("payment_bill_no") where status in ('SUCCESS', 'REFUNDED_BY_HAND');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "refund" cascade;`);
  }
}

import { Migration } from '@mikro-orm/migrations';

/**
 * Demand redemptions paid out through LianLian 代付 (issue 16): XJP settles a redemption to the
 * platform, which pays the member's card. One row per attempt, and at most one SUCCESS per
 * redemption, enforced by a partial unique index.
 */
export class Migration20261208020000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "demand_payout" ("payout_id" text not null, "redemption_id" text not null, "attempt" int not null, "amount_fen" bigint not null, "status" text check ("status" in ('PENDING', 'APPLY', 'CHECK', 'WAITING', 'PROCESSING', 'SUCCESS', 'FAILURE', 'CLOSED', 'CANCEL')) not null, "lianlian_bill_no" text null, "last_error" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "settled_at" timestamptz null, constraint "demand_payout_pkey" primary key ("payout_id"), constraint demand_payout_attempt_positive check (attempt > 0), constraint demand_payout_amount_positive check (amount_fen > 0));`,
    );
    this.addSql(
      `alter table "demand_payout" add constraint "demand_payout_redemption_id_attempt_unique" unique ("redemption_id", "attempt");`,
    );
    this.addSql(
      `create unique index "demand_payout_one_success_per_redemption" on "demand_payout" ("redemption_id") where status = 'SUCCESS';`,
    );
    this.addSql(
      `alter table "demand_payout" add constraint "demand_payout_redemption_id_foreign" foreign key ("redemption_id") references "demand_movement" ("id") on update cascade on delete restrict;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "demand_payout" cascade;`);
  }
}

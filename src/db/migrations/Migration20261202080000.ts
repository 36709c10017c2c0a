import { Migration } from '@mikro-orm/migrations';

/** Money safety (issue 10): at most one successful payout per order, and finance's signed ledger corrections. */
export class Migration20261202080000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create unique index "payout_one_success_per_order" on "payout" ("order_id") where status = 'SUCCESS';`,
    );

    this.addSql(
      `create table "ledger_correction" ("id" text not null, "order_id" text not null, "amount_fen" bigint not null, "operator" text not null, "reason" text not null, "evidence_ref" text not null, "created_at" timestamptz not null, constraint "ledger_correction_pkey" primary key ("id"), constraint ledger_correction_amount_non_zero check (amount_fen <> 0));`,
    );
    this.addSql(`create index "ledger_correction_order_id_index" on "ledger_correction" ("order_id");`);
    this.addSql(
      `alter table "ledger_correction" add constraint "ledger_correction_order_id_foreign" foreign key ("order_id") references "purchase_order" ("id") on update cascade on delete restrict;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "ledger_correction" cascade;`);
    this.addSql(`drop index "payout_one_success_per_order";`);
  }
}

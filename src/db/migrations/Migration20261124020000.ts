import { Migration } from '@mikro-orm/migrations';

/** Daily reconciliation (对账): one run row per business date and its findings (deleted with the run). */
export class Migration20261124020000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "reconciliation_run" ("id" text not null, "business_date" date not null, "workflow_id" text not null, "matched_count" int not null, "missing_at_partner_count" int not null, "missing_at_us_count" int not null, "amount_mismatch_count" int not null, "status_mismatch_count" int not null, "duplicate_count" int not null, "completed_at" timestamptz not null, constraint "reconciliation_run_pkey" primary key ("id"), constraint reconciliation_run_counts_non_negative check (matched_count >= 0 and missing_at_partner_count >= 0 and missing_at_us_count >= 0 and amount_mismatch_count >= 0 and status_mismatch_count >= 0 and duplicate_count >= 0));`,
    );
    this.addSql(
      `alter table "reconciliation_run" add constraint "reconciliation_run_business_date_unique" unique ("business_date");`,
    );

    this.addSql(
      `create table "reconciliation_finding" ("id" text not null, "run_id" text not null, "business_date" date not null, "side" text check ("side" in ('XJP', 'LIANLIAN')) not null, "kind" text check ("kind" in ('MATCHED', 'MISSING_AT_PARTNER', 'MISSING_AT_US', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH', 'DUPLICATE')) not null, "reference" text not null, "partner_reference" text null, "our_amount_fen" bigint null, "partner_amount_fen" bigint null, "our_status" text null, "partner_status" text null, "detail" text null, constraint "reconciliation_finding_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "reconciliation_finding_business_date_kind_index" on "reconciliation_finding" ("business_date", "kind");`,
    );

    this.addSql(
      `alter table "reconciliation_finding" add constraint "reconciliation_finding_run_id_foreign" foreign key ("run_id") references "reconciliation_run" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "reconciliation_finding" drop constraint "reconciliation_finding_run_id_foreign";`);

    this.addSql(`drop table if exists "reconciliation_run" cascade;`);

    this.addSql(`drop table if exists "reconciliation_finding" cascade;`);
  }
}

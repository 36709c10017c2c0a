import { Migration } from '@mikro-orm/migrations';

/**
 * Early redemption and the service fee (issue 15): the product's redemption terms frozen on the order,
 * the redemption's fee on principal and stop date, what a payout keeps back, and the rows a
 * redemption books beside XJP's settlement (interest reversal, early-redemption fee, service fee).
 */
export class Migration20261207200000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "redemption_entry" ("id" text not null, "order_id" text not null, "kind" text check ("kind" in ('INTEREST_REVERSAL', 'EARLY_REDEMPTION_PENALTY', 'SERVICE_FEE')) not null, "amount_fen" bigint not null, "created_at" timestamptz not null, constraint "redemption_entry_pkey" primary key ("id"), constraint redemption_entry_sign_by_kind check ((kind = 'INTEREST_REVERSAL' and amount_fen < 0) or (kind <> 'INTEREST_REVERSAL' and amount_fen > 0)));`,
    );
    this.addSql(
      `alter table "redemption_entry" add constraint "redemption_entry_order_id_kind_unique" unique ("order_id", "kind");`,
    );
    this.addSql(
      `alter table "redemption_entry" add constraint "redemption_entry_order_id_foreign" foreign key ("order_id") references "purchase_order" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(`alter table "purchase_order" add column "redemption_terms" jsonb null;`);

    this.addSql(`alter table "payout" drop constraint payout_amounts_non_negative;`);
    this.addSql(`alter table "payout" drop constraint payout_total_is_sum;`);
    this.addSql(`alter table "payout" add column "deductions_fen" bigint not null default 0;`);
    this.addSql(
      `alter table "payout" add constraint payout_amounts_non_negative check(principal_fen >= 0 and interest_fen >= 0 and deductions_fen >= 0 and total_fen >= 0);`,
    );
    this.addSql(
      `alter table "payout" add constraint payout_total_is_sum check(total_fen = principal_fen + interest_fen - deductions_fen);`,
    );

    this.addSql(`alter table "redemption" drop constraint redemption_amounts_non_negative;`);
    this.addSql(`alter table "redemption" drop constraint redemption_total_is_sum;`);
    this.addSql(
      `alter table "redemption" add column "penalty_fen" bigint not null default 0, add column "redemption_date" date null;`,
    );
    this.addSql(
      `alter table "redemption" add constraint redemption_amounts_non_negative check(principal_fen >= 0 and interest_fen >= 0 and penalty_fen >= 0 and total_fen >= 0);`,
    );
    this.addSql(
      `alter table "redemption" add constraint redemption_total_is_sum check(total_fen = principal_fen + interest_fen - penalty_fen);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "redemption_entry" cascade;`);

    this.addSql(`alter table "payout" drop constraint payout_total_is_sum;`);
    this.addSql(`alter table "payout" drop constraint payout_amounts_non_negative;`);
    this.addSql(`alter table "payout" drop column "deductions_fen";`);
    this.addSql(
      `alter table "payout" add constraint payout_total_is_sum check(total_fen = principal_fen + interest_fen);`,
    );
    this.addSql(
      `alter table "payout" add constraint payout_amounts_non_negative check(principal_fen >= 0 and interest_fen >= 0);`,
    );

    this.addSql(`alter table "purchase_order" drop column "redemption_terms";`);

    this.addSql(`alter table "redemption" drop constraint redemption_total_is_sum;`);
    this.addSql(`alter table "redemption" drop constraint redemption_amounts_non_negative;`);
    this.addSql(`alter table "redemption" drop column "penalty_fen", drop column "redemption_date";`);
    this.addSql(
      `alter table "redemption" add constraint redemption_total_is_sum check(total_fen = principal_fen + interest_fen);`,
    );
    this.addSql(
      `alter table "redemption" add constraint redemption_amounts_non_negative check(principal_fen >= 0 and interest_fen >= 0);`,
    );
  }
}

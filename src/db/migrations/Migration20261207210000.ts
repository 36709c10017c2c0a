import { Migration } from '@mikro-orm/migrations';

/**
 * The demand product (issue 16): one holding per member and product, one income row per holding
 * and natural day (unique, so a retried post cannot double it), and the subscriptions and
 * redemptions XJP confirmed with their cut-off dates.
 */
export class Migration20261207210000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "demand_holding" ("id" text not null, "member_id" text not null, "product_code" text not null, "account_no" text not null, "units_fen" bigint not null, "cumulative_income_fen" bigint not null, "last_income_date" date null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "demand_holding_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "demand_holding" add constraint "demand_holding_member_id_product_code_unique" unique ("member_id", "product_code");`,
    );
    this.addSql(
      `create table "demand_income" ("id" text not null, "holding_id" text not null, "income_date" date not null, "units_fen" bigint not null, "income_per10k_fen" text not null, "seven_day_yield" text not null, "income_fen" bigint not null, "posted_at" timestamptz not null, constraint "demand_income_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "demand_income" add constraint "demand_income_holding_id_income_date_unique" unique ("holding_id", "income_date");`,
    );
    this.addSql(
      `create table "demand_movement" ("id" text not null, "holding_id" text not null, "kind" text check ("kind" in ('SUBSCRIPTION', 'FAST_REDEMPTION', 'STANDARD_REDEMPTION')) not null, "amount_fen" bigint not null, "requested_at" timestamptz not null, "trade_date" date not null, "effective_date" date not null, "pay_date" date null, "xjp_reference" text not null, "created_at" timestamptz not null, constraint "demand_movement_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "demand_movement" add constraint "demand_movement_xjp_reference_unique" unique ("xjp_reference");`,
    );
    this.addSql(
      `create index "demand_movement_holding_id_requested_at_index" on "demand_movement" ("holding_id", "requested_at");`,
    );
    this.addSql(
      `alter table "demand_income" add constraint "demand_income_holding_id_foreign" foreign key ("holding_id") references "demand_holding" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "demand_movement" add constraint "demand_movement_holding_id_foreign" foreign key ("holding_id") references "demand_holding" ("id") on update cascade on delete restrict;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "demand_movement" cascade;`);
    this.addSql(`drop table if exists "demand_income" cascade;`);
    this.addSql(`drop table if exists "demand_holding" cascade;`);
  }
}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261123160540 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "order_number_counter" ("day" date not null, "last_value" int not null, constraint "order_number_counter_pkey" primary key ("day"), constraint order_number_counter_last_value_positive check (last_value > 0));`,
    );

    this.addSql(
      `create table "partner_notification" ("id" text not null, "partner" text check ("partner" in ('XJP', 'LIANLIAN')) not null, "notification_id" text null, "dedupe_key" text null, "raw_body" text not null, "headers" jsonb not null, "signature_valid" boolean not null, "received_at" timestamptz not null, "result" text check ("result" in ('ACCEPTED', 'DUPLICATE', 'REJECTED_SIGNATURE', 'STALE', 'MALFORMED', 'UNKNOWN_ORDER', 'SIGNALLED')) not null, "order_no" text null, "processed_at" timestamptz null, constraint "partner_notification_pkey" primary key ("id"), constraint partner_notification_dedupe_key_is_notification_id check (dedupe_key is null or dedupe_key = notification_id), constraint partner_notification_acted_on_only_if_genuine check (signature_valid or result = 'REJECTED_SIGNATURE' or result = 'STALE' or result = 'MALFORMED'));`,
    );
    this.addSql(
      `create index "partner_notification_partner_notification_id_index" on "partner_notification" ("partner", "notification_id");`,
    );
    this.addSql(`create index "partner_notification_order_no_index" on "partner_notification" ("order_no");`);
    this.addSql(
      `alter table "partner_notification" add constraint "partner_notification_partner_dedupe_key_unique" unique ("partner", "dedupe_key");`,
    );

    this.addSql(
      `create table "purchase_order" ("id" text not null, "order_no" text not null, "member_id" text not null, "idempotency_key" text not null, "product_id" text not null, "product_code" text not null, "product_name" text not null, "annual_rate_micros" int not null, "term_value" int not null, "term_unit" text check ("term_unit" in ('DAY', 'MONTH')) not null, "day_count_basis" smallint not null, "interest_start_rule" text not null, "payout_mode" text check ("payout_mode" in ('AUTO', 'ON_WITHDRAWAL')) not null, "amount_fen" bigint not null, "status" text check ("status" in ('CREATED', 'SUBSCRIBED', 'PAID', 'ACCRUING', 'MATURED', 'PAYING_OUT', 'COMPLETED', 'REJECTED', 'EXPIRED', 'CANCELLED', 'PAYOUT_FAILED')) not null, "reject_reason" text null, "xjp_order_id" text null, "xjp_order_no" text null, "payment_url" text null, "pay_before" timestamptz null, "interest_start_date" date null, "maturity_date" date null, "expected_interest_fen" bigint null, "investor_name_enc" text not null, "investor_name_masked" text not null, "id_card_no_enc" text not null, "mobile_enc" text not null, "email_enc" text null, "bank_card_enc" text not null, "bank_card_masked" text not null, "bank_code" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "paid_at" timestamptz null, constraint "purchase_order_pkey" primary key ("id"), constraint purchase_order_amount_fen_positive check (amount_fen > 0), constraint purchase_order_expected_interest_fen_non_negative check (expected_interest_fen >= 0), constraint purchase_order_maturity_after_interest_start check (maturity_date > interest_start_date), constraint purchase_order_annual_rate_micros_range check (annual_rate_micros >= 1 and annual_rate_micros <= 1000000), constraint purchase_order_term_value_positive check (term_value > 0), constraint purchase_order_day_count_basis_check check (day_count_basis = 360 or day_count_basis = 365), constraint purchase_order_reject_reason_iff_rejected check ((status = 'REJECTED') = (reject_reason is not null)));`,
    );
    this.addSql(`alter table "purchase_order" add constraint "purchase_order_order_no_unique" unique ("order_no");`);
    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_idempotency_key_unique" unique ("idempotency_key");`,
    );
    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_xjp_order_no_unique" unique ("xjp_order_no");`,
    );
    this.addSql(
      `create index "purchase_order_member_id_created_at_index" on "purchase_order" ("member_id", "created_at");`,
    );

    this.addSql(
      `create table "payout" ("id" text not null, "order_id" text not null, "payout_no" text not null, "attempt" int not null, "principal_fen" bigint not null, "interest_fen" bigint not null, "total_fen" bigint not null, "status" text check ("status" in ('PENDING', 'APPLY', 'CHECK', 'WAITING', 'PROCESSING', 'SUCCESS', 'FAILURE', 'CLOSED', 'CANCEL')) not null, "oid_paybill" text null, "call_count" int not null default 0, "last_error" text null, "settle_date" date null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "settled_at" timestamptz null, constraint "payout_pkey" primary key ("id"), constraint payout_total_is_sum check (total_fen = principal_fen + interest_fen), constraint payout_attempt_positive check (attempt > 0), constraint payout_amounts_non_negative check (principal_fen >= 0 and interest_fen >= 0));`,
    );
    this.addSql(`alter table "payout" add constraint "payout_payout_no_unique" unique ("payout_no");`);
    this.addSql(`alter table "payout" add constraint "payout_oid_paybill_unique" unique ("oid_paybill");`);
    this.addSql(`alter table "payout" add constraint "payout_order_id_attempt_unique" unique ("order_id", "attempt");`);

    this.addSql(
      `create table "order_event" ("id" text not null, "order_id" text not null, "from_status" text check ("from_status" in ('CREATED', 'SUBSCRIBED', 'PAID', 'ACCRUING', 'MATURED', 'PAYING_OUT', 'COMPLETED', 'REJECTED', 'EXPIRED', 'CANCELLED', 'PAYOUT_FAILED')) null, "to_status" text check ("to_status" in ('CREATED', 'SUBSCRIBED', 'PAID', 'ACCRUING', 'MATURED', 'PAYING_OUT', 'COMPLETED', 'REJECTED', 'EXPIRED', 'CANCELLED', 'PAYOUT_FAILED')) not null, "cause" text not null, "actor" text check ("actor" in ('SYSTEM', 'INVESTOR', 'OPERATOR', 'PARTNER')) not null, "actor_ref" text null, "detail" jsonb null, "occurred_at" timestamptz not null, constraint "order_event_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "order_event_order_id_occurred_at_index" on "order_event" ("order_id", "occurred_at");`);

    this.addSql(
      `create table "interest_accrual" ("id" text not null, "order_id" text not null, "accrual_date" date not null, "day_index" int not null, "amount_fen" bigint not null, "cumulative_fen" bigint not null, "posted_at" timestamptz not null, constraint "interest_accrual_pkey" primary key ("id"), constraint interest_accrual_day_index_positive check (day_index > 0), constraint interest_accrual_amount_fen_non_negative check (amount_fen >= 0), constraint interest_accrual_cumulative_covers_amount check (cumulative_fen >= amount_fen));`,
    );
    this.addSql(
      `alter table "interest_accrual" add constraint "interest_accrual_order_id_accrual_date_unique" unique ("order_id", "accrual_date");`,
    );

    this.addSql(
      `create table "redemption" ("id" text not null, "order_id" text not null, "xjp_redemption_id" text null, "principal_fen" bigint not null, "interest_fen" bigint not null, "total_fen" bigint not null, "status" text check ("status" in ('REQUESTED', 'SETTLED')) not null, "requested_at" timestamptz not null, "settled_at" timestamptz null, "updated_at" timestamptz not null, constraint "redemption_pkey" primary key ("id"), constraint redemption_total_is_sum check (total_fen = principal_fen + interest_fen), constraint redemption_amounts_non_negative check (principal_fen >= 0 and interest_fen >= 0));`,
    );
    this.addSql(`alter table "redemption" add constraint "redemption_order_id_unique" unique ("order_id");`);
    this.addSql(
      `alter table "redemption" add constraint "redemption_xjp_redemption_id_unique" unique ("xjp_redemption_id");`,
    );

    this.addSql(
      `create table "ua_bill_user_account" ("id" text not null, "member_id" text not null, "account_id" text not null, "account_name" text not null, "created_at" timestamptz not null, constraint "ua_bill_user_account_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "ua_bill_user_account" add constraint "ua_bill_user_account_member_id_unique" unique ("member_id");`,
    );
    this.addSql(
      `alter table "ua_bill_user_account" add constraint "ua_bill_user_account_account_id_unique" unique ("account_id");`,
    );

    this.addSql(
      `alter table "payout" add constraint "payout_order_id_foreign" foreign key ("order_id") references "purchase_order" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "order_event" add constraint "order_event_order_id_foreign" foreign key ("order_id") references "purchase_order" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "interest_accrual" add constraint "interest_accrual_order_id_foreign" foreign key ("order_id") references "purchase_order" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "redemption" add constraint "redemption_order_id_foreign" foreign key ("order_id") references "purchase_order" ("id") on update cascade on delete restrict;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "payout" drop constraint "payout_order_id_foreign";`);

    this.addSql(`alter table "order_event" drop constraint "order_event_order_id_foreign";`);

    this.addSql(`alter table "interest_accrual" drop constraint "interest_accrual_order_id_foreign";`);

    this.addSql(`alter table "redemption" drop constraint "redemption_order_id_foreign";`);

    this.addSql(`drop table if exists "order_number_counter" cascade;`);

    this.addSql(`drop table if exists "partner_notification" cascade;`);

    this.addSql(`drop table if exists "purchase_order" cascade;`);

    this.addSql(`drop table if exists "payout" cascade;`);

    this.addSql(`drop table if exists "order_event" cascade;`);

    this.addSql(`drop table if exists "interest_accrual" cascade;`);

    this.addSql(`drop table if exists "redemption" cascade;`);

    this.addSql(`drop table if exists "ua_bill_user_account" cascade;`);
  }
}

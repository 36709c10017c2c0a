import { Migration } from '@mikro-orm/migrations';

/**
 * Trust boundaries (issue 11): member token ids used by mutations (one-time use across API
 * processes); idempotency keys per member; XJP's echoed account name no longer in clear; refused
 * notifications kept as hash, size and first characters instead of whole bodies; MISMATCH verdict.
 */
export class Migration20261202063000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "member_token_use" ("jti" text not null, "member_id" text not null, "expires_at" timestamptz not null, constraint "member_token_use_pkey" primary key ("jti"));`,
    );
    this.addSql(`create index "member_token_use_expires_at_index" on "member_token_use" ("expires_at");`);

    this.addSql(`alter table "purchase_order" drop constraint "purchase_order_idempotency_key_unique";`);
    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_member_id_idempotency_key_unique" unique ("member_id", "idempotency_key");`,
    );

    // The clear names cannot be encrypted here (the key is not the database's): they are dropped.
    this.addSql(`alter table "ua_bill_user_account" drop column "account_name";`);
    this.addSql(`alter table "ua_bill_user_account" add column "account_name_enc" text null;`);

    this.addSql(
      `alter table "partner_notification" add column "body_sha256" text null, add column "body_bytes" int null;`,
    );
    this.addSql(
      `update "partner_notification" set "body_sha256" = encode(sha256(convert_to("raw_body", 'UTF8')), 'hex'), "body_bytes" = octet_length("raw_body");`,
    );
    this.addSql(
      `update "partner_notification" set "raw_body" = left("raw_body", 256) where "result" in ('REJECTED_SIGNATURE', 'STALE', 'MALFORMED');`,
    );
    this.addSql(
      `alter table "partner_notification" alter column "body_sha256" set not null, alter column "body_bytes" set not null;`,
    );
    this.addSql(
      `alter table "partner_notification" add constraint partner_notification_body_bytes_non_negative check (body_bytes >= 0);`,
    );
    this.addSql(`alter table "partner_notification" drop constraint "partner_notification_result_check";`);
    this.addSql(
      `alter table "partner_notification" add constraint "partner_notification_result_check" check ("result" in ('ACCEPTED', 'DUPLICATE', 'REJECTED_SIGNATURE', 'STALE', 'MALFORMED', 'MISMATCH', 'UNKNOWN_ORDER', 'SIGNALLED'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "partner_notification" drop constraint "partner_notification_result_check";`);
    this.addSql(`update "partner_notification" set "result" = 'MALFORMED' where "result" = 'MISMATCH';`);
    this.addSql(
      `alter table "partner_notification" add constraint "partner_notification_result_check" check ("result" in ('ACCEPTED', 'DUPLICATE', 'REJECTED_SIGNATURE', 'STALE', 'MALFORMED', 'UNKNOWN_ORDER', 'SIGNALLED'));`,
    );
    this.addSql(`alter table "partner_notification" drop constraint partner_notification_body_bytes_non_negative;`);
    this.addSql(`alter table "partner_notification" drop column "body_sha256", drop column "body_bytes";`);

    this.addSql(`alter table "ua_bill_user_account" drop column "account_name_enc";`);
    this.addSql(`alter table "ua_bill_user_account" add column "account_name" text not null default '';`);
    this.addSql(`alter table "ua_bill_user_account" alter column "account_name" drop default;`);

    this.addSql(`alter table "purchase_order" drop constraint "purchase_order_member_id_idempotency_key_unique";`);
    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_idempotency_key_unique" unique ("idempotency_key");`,
    );

    this.addSql(`drop table if exists "member_token_use" cascade;`);
  }
}

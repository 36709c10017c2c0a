import { Migration } from '@mikro-orm/migrations';

/**
 * Webhooks to the platform (issue 15): the outbox of order events, one delivery per event and
 * endpoint, and the log of every delivery attempt.
 */
export class Migration20261202180000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "webhook_event" ("id" text not null, "type" text check ("type" in ('order.status_changed', 'order.parked')) not null, "order_no" text not null, "seq" int not null, "from_status" text check ("from_status" in ('CREATED', 'SUBSCRIBED', 'PAID', 'ACCRUING', 'MATURED', 'PAYING_OUT', 'COMPLETED', 'REJECTED', 'EXPIRED', 'CANCELLED', 'PAYOUT_FAILED')) null, "to_status" text check ("to_status" in ('CREATED', 'SUBSCRIBED', 'PAID', 'ACCRUING', 'MATURED', 'PAYING_OUT', 'COMPLETED', 'REJECTED', 'EXPIRED', 'CANCELLED', 'PAYOUT_FAILED')) not null, "cause" text not null, "reason_code" text null, "occurred_at" timestamptz not null, "fanned_out_at" timestamptz null, constraint "webhook_event_pkey" primary key ("id"), constraint webhook_event_seq_positive check (seq > 0));`,
    );
    this.addSql(`create index "webhook_event_fanned_out_at_index" on "webhook_event" ("fanned_out_at");`);
    this.addSql(
      `alter table "webhook_event" add constraint "webhook_event_order_no_seq_unique" unique ("order_no", "seq");`,
    );

    this.addSql(
      `create table "webhook_delivery" ("id" text not null, "event_id" text not null, "endpoint" text not null, "order_no" text not null, "seq" int not null, "status" text check ("status" in ('PENDING', 'DELIVERED', 'FAILED')) not null, "attempts" int not null, "next_attempt_at" timestamptz not null, "last_error" text null, "delivered_at" timestamptz null, "replayed_by" text null, "replay_reason" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "webhook_delivery_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_delivery_endpoint_order_no_seq_index" on "webhook_delivery" ("endpoint", "order_no", "seq");`,
    );
    this.addSql(
      `create index "webhook_delivery_status_next_attempt_at_index" on "webhook_delivery" ("status", "next_attempt_at");`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_event_id_endpoint_unique" unique ("event_id", "endpoint");`,
    );

    this.addSql(
      `create table "webhook_delivery_attempt" ("id" text not null, "delivery_id" text not null, "attempt" int not null, "status_code" int null, "error" text null, "duration_ms" int not null, "attempted_at" timestamptz not null, constraint "webhook_delivery_attempt_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "webhook_delivery_attempt" add constraint "webhook_delivery_attempt_delivery_id_attempt_unique" unique ("delivery_id", "attempt");`,
    );

    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_event_id_foreign" foreign key ("event_id") references "webhook_event" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "webhook_delivery_attempt" add constraint "webhook_delivery_attempt_delivery_id_foreign" foreign key ("delivery_id") references "webhook_delivery" ("id") on update cascade on delete restrict;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "webhook_delivery_attempt" cascade;`);
    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
    this.addSql(`drop table if exists "webhook_event" cascade;`);
  }
}

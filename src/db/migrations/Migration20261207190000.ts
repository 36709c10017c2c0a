import { Migration } from '@mikro-orm/migrations';

/**
 * The home page's display settings (issue 15): the platform's own hot/hidden flags per XJP product
 * (XJP's catalogue is never stored) and the trail of every change an operator made to them.
 */
export class Migration20261207190000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "product_display" ("product_id" text not null, "hot" boolean not null, "hidden" boolean not null, "updated_by" text not null, "updated_at" timestamptz not null, constraint "product_display_pkey" primary key ("product_id"));`,
    );
    this.addSql(
      `create table "product_display_change" ("id" text not null, "product_id" text not null, "hot" boolean not null, "hidden" boolean not null, "previous_hot" boolean null, "previous_hidden" boolean null, "operator" text not null, "changed_at" timestamptz not null, constraint "product_display_change_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "product_display_change_changed_at_index" on "product_display_change" ("changed_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "product_display_change" cascade;`);
    this.addSql(`drop table if exists "product_display" cascade;`);
  }
}

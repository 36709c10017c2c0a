import { Migration } from '@mikro-orm/migrations';

/**
 * The agreement names the accepting bank and the channel the investor accepted it on, so both are
 * frozen on the order with the other terms. Orders made before this carry neither (null).
 */
export class Migration20261202070000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "purchase_order" add column "accepting_bank" text null, add column "channel" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "purchase_order" drop column "accepting_bank", drop column "channel";`);
  }
}

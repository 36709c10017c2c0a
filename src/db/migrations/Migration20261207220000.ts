import { Migration } from '@mikro-orm/migrations';

/**
 * Reinvestment at maturity (续投, issue 15): an order bought with a matured order's redeemed funds
 * names that order; one reinvestment per matured order, so a retried start never makes two.
 */
export class Migration20261207220000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "purchase_order" add column "previous_order_no" text null;`);
    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_previous_order_no_unique" unique ("previous_order_no");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "purchase_order" drop constraint "purchase_order_previous_order_no_unique";`);
    this.addSql(`alter table "purchase_order" drop column "previous_order_no";`);
  }
}

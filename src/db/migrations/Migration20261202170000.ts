import { Migration } from '@mikro-orm/migrations';

/**
 * The end-of-day accrual batch posts every accruing order's day from its row alone, so the row says
 * how its ledger spreads interest: null for simple interest on the frozen terms, else the maturity
 * interest an operator accepted from XJP, spread pro rata over the days.
 */
export class Migration20261202170000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "purchase_order" add column "agreed_interest_fen" bigint null;`);
    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_agreed_interest_fen_non_negative" check (agreed_interest_fen >= 0);`,
    );
    // The batch walks the accruing orders in id order, chunk by chunk.
    this.addSql(
      `create index "purchase_order_accruing_id_index" on "purchase_order" ("id") where status = 'ACCRUING';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "purchase_order_accruing_id_index";`);
    this.addSql(`alter table "purchase_order" drop column "agreed_interest_fen";`);
  }
}

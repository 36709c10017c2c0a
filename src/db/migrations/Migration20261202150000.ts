import { Migration } from '@mikro-orm/migrations';

const KINDS_BEFORE = `'MATCHED', 'MISSING_AT_PARTNER', 'MISSING_AT_US', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH', 'DUPLICATE'`;
const KINDS_AFTER = `'MATCHED', 'MISSING_AT_PARTNER', 'MISSING_AT_US', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH', 'DATE_MISMATCH', 'DUPLICATE'`;
const COUNTS_BEFORE =
  'matched_count >= 0 and missing_at_partner_count >= 0 and missing_at_us_count >= 0 and amount_mismatch_count >= 0 and status_mismatch_count >= 0 and duplicate_count >= 0';

/**
 * Reconciliation covers redemptions and dates (issue 10): each finding says what was compared
 * (subscription, redemption, payout, refund), and interest dates that differ are a finding of their own.
 * Earlier findings were XJP's subscriptions and LianLian's payouts, so their category follows their side.
 */
export class Migration20261202150000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "reconciliation_finding" add column "category" text check ("category" in ('SUBSCRIPTION', 'REDEMPTION', 'PAYOUT', 'REFUND')) null;`,
    );
    this.addSql(
      `update "reconciliation_finding" set "category" = case when "side" = 'XJP' then 'SUBSCRIPTION' else 'PAYOUT' end;`,
    );
    this.addSql(`alter table "reconciliation_finding" alter column "category" set not null;`);
    this.addSql(`alter table "reconciliation_finding" drop constraint "reconciliation_finding_kind_check";`);
    this.addSql(
      `alter table "reconciliation_finding" add constraint "reconciliation_finding_kind_check" check ("kind" in (${KINDS_AFTER}));`,
    );

    this.addSql(`alter table "reconciliation_run" add column "date_mismatch_count" int not null default 0;`);
    this.addSql(`alter table "reconciliation_run" alter column "date_mismatch_count" drop default;`);
    this.addSql(`alter table "reconciliation_run" drop constraint "reconciliation_run_counts_non_negative";`);
    this.addSql(
      `alter table "reconciliation_run" add constraint reconciliation_run_counts_non_negative check (${COUNTS_BEFORE} and date_mismatch_count >= 0);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "reconciliation_run" drop constraint "reconciliation_run_counts_non_negative";`);
    this.addSql(
      `alter table "reconciliation_run" add constraint reconciliation_run_counts_non_negative check (${COUNTS_BEFORE});`,
    );
    this.addSql(`alter table "reconciliation_run" drop column "date_mismatch_count";`);
    this.addSql(`delete from "reconciliation_finding" where "kind" = 'DATE_MISMATCH' or "category" = 'REDEMPTION';`);
    this.addSql(`alter table "reconciliation_finding" drop constraint "reconciliation_finding_kind_check";`);
    this.addSql(
      `alter table "reconciliation_finding" add constraint "reconciliation_finding_kind_check" check ("kind" in (${KINDS_BEFORE}));`,
    );
    this.addSql(`alter table "reconciliation_finding" drop column "category";`);
  }
}

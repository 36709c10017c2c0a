import { startTestDatabase, type TestDatabase } from '../../tools/testing/database';

const TABLES = [
  'demand_holding',
  'demand_income',
  'demand_movement',
  'demand_payout',
  'demand_subscription',
  'interest_accrual',
  'ledger_correction',
  'member_token_use',
  'order_event',
  'order_number_counter',
  'partner_notification',
  'payout',
  'product_display',
  'product_display_change',
  'purchase_order',
  'reconciliation_finding',
  'reconciliation_run',
  'redemption',
  'redemption_entry',
  'refund',
  'ua_bill_user_account',
  'webhook_delivery',
  'webhook_delivery_attempt',
  'webhook_event',
];

let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase({ migrate: false });
});

afterAll(async () => {
  await db.stop();
});

async function tables(): Promise<string[]> {
  const rows = await db.orm.em
    .fork()
    .execute<{ table_name: string }[]>(
      `select table_name from information_schema.tables where table_schema = 'public' and table_name <> 'mikro_orm_migrations' order by table_name`,
    );
  return rows.map((row) => row.table_name);
}

test('migrating an empty database up, down and up again creates, removes and recreates every table', async () => {
  const migrator = db.orm.getMigrator();
  expect(await tables()).toEqual([]);

  await migrator.up();
  expect(await tables()).toEqual(TABLES);

  await migrator.down({ to: 0 });
  expect(await tables()).toEqual([]);
  expect(await migrator.getPendingMigrations()).not.toHaveLength(0);

  await migrator.up();
  expect(await tables()).toEqual(TABLES);
  expect(await migrator.getPendingMigrations()).toHaveLength(0);
});

test('the checked-in migrations produce exactly the schema the entities describe', async () => {
  await db.orm.getMigrator().up();
  const drift = await db.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
  expect(drift.trim()).toBe('');
});

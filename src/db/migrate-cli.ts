import { basename } from 'node:path';
import type { Migrator } from '@mikro-orm/migrations';
import { resolveDatabase } from './database-location';
import { closeOrm, openOrm } from './orm';

const COMMANDS = ['up', 'down', 'create'] as const;
type Command = (typeof COMMANDS)[number];

function isCommand(value: string | undefined): value is Command {
  return (COMMANDS as readonly (string | undefined)[]).includes(value);
}

async function run(command: Command, migrator: Migrator): Promise<void> {
  switch (command) {
    case 'up': {
      const applied = await migrator.up();
      console.log(
        applied.length === 0 ? 'database is up to date' : `applied: ${applied.map((m) => m.name).join(', ')}`,
      );
      return;
    }
    case 'down': {
      const reverted = await migrator.down();
      console.log(reverted.length === 0 ? 'nothing to revert' : `reverted: ${reverted.map((m) => m.name).join(', ')}`);
      return;
    }
    case 'create': {
      // Diffs the entities against the migrated database, so run `up` first.
      const result = await migrator.createMigration();
      if (result.fileName === '') {
        console.log('no schema changes: nothing created');
        return;
      }
      const name = basename(result.fileName, '.ts');
      console.log(
        `created src/db/migrations/${result.fileName}; review it, then list it in src/db/migrations/index.ts:`,
      );
      console.log(`  import { ${name} } from './${name}';`);
      console.log(`  { name: '${name}', class: ${name} },`);
      return;
    }
  }
}

/** `tsx src/db/migrate-cli.ts up|down|create` against DATABASE_URL or the embedded dev database. */
async function main(): Promise<void> {
  const command = process.argv[2];
  if (!isCommand(command)) {
    console.error(`usage: migrate-cli ${COMMANDS.join('|')}`);
    process.exitCode = 2;
    return;
  }
  const database = await resolveDatabase();
  try {
    const orm = await openOrm(database.url);
    try {
      await run(command, orm.getMigrator());
    } finally {
      await closeOrm(orm);
    }
  } finally {
    await database.release();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

/** `npm run dev`: the whole stack in this process tree, on the default ports and the repository's `.data/`. */
import { createLogger } from '../logging/logger';
import { exitOnStartFailure, stopOnSignals } from '../runtime/process-signals';
import { devBanner } from './banner';
import { startDevStack } from './stack';

const logger = createLogger('dev');

async function main(): Promise<void> {
  console.log('starting PostgreSQL, Temporal (first run: provisioning it may take minutes), simulators, API and worker…');
  const stack = await startDevStack({
    // DATABASE_URL, when set, points the stack at that PostgreSQL instead of the embedded one.
    databaseUrl: process.env.DATABASE_URL === '' ? undefined : process.env.DATABASE_URL,
    env: process.env,
    logger,
  });
  stopOnSignals(stack.stop, logger);
  console.log(devBanner(stack));
}

main().catch(exitOnStartFailure(logger));

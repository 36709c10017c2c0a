/** `npm run stack`: the production-shape stack on the default ports and `.data/stack/` (see production-stack.ts). */
import { createLogger } from '../../src/logging/logger';
import { exitOnStartFailure, stopOnSignals } from '../../src/runtime/process-signals';
import { startProductionStack } from './production-stack';

const logger = createLogger('stack');

async function main(): Promise<void> {
  console.log(
    'starting PostgreSQL, the Temporal server (first run: provisioning builds it, minutes), simulators, 2 APIs and 2 workers from dist/…',
  );
  // --dist <dir>: run the engine from another compiled tree, e.g. a copy of dist/ beside `npm ci --omit=dev`.
  const distFlag = process.argv.indexOf('--dist');
  const stack = await startProductionStack({
    databaseUrl: process.env.DATABASE_URL === '' ? undefined : process.env.DATABASE_URL,
    ...(distFlag > 0 && process.argv[distFlag + 1] !== undefined ? { distDir: process.argv[distFlag + 1] } : {}),
  });
  stopOnSignals(stack.stop, logger);
  console.log(
    [
      'production-shape stack running:',
      `  APIs            ${stack.apiUrls.join('  ')}   (X-Api-Key: the line in ${stack.keysDir}/api-key)`,
      `  worker probes   ${stack.workerHealthUrls.map((u) => `${u}/readyz`).join('  ')}`,
      `  Temporal        ${stack.temporalAddress} (PostgreSQL persistence and visibility)`,
      `  Web UI          ${stack.temporalUiUrl ?? 'not provisioned (npm run provision:cluster builds it)'}${stack.temporalUiUrl ? `  (codec: the key after "ops:" in ${stack.keysDir}/operator-keys)` : ''}`,
      `  simulators      XJP ${stack.xjpSimUrl}  LianLian ${stack.lianlianSimUrl}`,
      `  logs            ${stack.logDir}/`,
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
}

main().catch(exitOnStartFailure(logger));

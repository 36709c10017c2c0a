/**
 * `npm run temporal:setup -- [--namespace] [--search-attributes]`: the one-off set-up of a
 * self-hosted Temporal cluster that an administrator runs before the engine's first start (the
 * engine itself needs no operator rights). With `--namespace`, creates TEMPORAL_NAMESPACE
 * (retention TEMPORAL_NAMESPACE_RETENTION_DAYS, default 30); with `--search-attributes`, registers
 * the purchase search attributes on it. Temporal Cloud: both are done with `tcld` (README).
 */
import { parseArgs } from 'node:util';
import { Connection } from '@temporalio/client';
import { z } from 'zod';
import { ConfigError, configSchema } from '../config/config';
import { createLogger } from '../logging/logger';
import { temporalConnectionOptions } from '../temporal/connection-options';
import { ensureNamespace } from '../temporal/namespace';
import { registerSearchAttributes } from '../temporal/search-attributes';
import { exitOnStartFailure } from './process-signals';
import { readFileVariables } from './runtime-config';

const logger = createLogger('temporal-setup');

const setupConfigSchema = configSchema
  .pick({
    TEMPORAL_ADDRESS: true,
    TEMPORAL_NAMESPACE: true,
    TEMPORAL_TLS: true,
    TEMPORAL_TLS_CERT: true,
    TEMPORAL_TLS_KEY: true,
    TEMPORAL_TLS_CA: true,
    TEMPORAL_TLS_SERVER_NAME: true,
    TEMPORAL_API_KEY: true,
  })
  .extend({ TEMPORAL_NAMESPACE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30) });

const USAGE = 'usage: temporal-setup [--namespace] [--search-attributes]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { namespace: { type: 'boolean' }, 'search-attributes': { type: 'boolean' } },
  });
  if (values.namespace !== true && values['search-attributes'] !== true) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const { env, problems } = readFileVariables(process.env);
  const parsed = setupConfigSchema.safeParse(env);
  if (!parsed.success)
    problems.push(...parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const config = parsed.data;
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    if (values.namespace === true) {
      const outcome = await ensureNamespace(
        connection,
        config.TEMPORAL_NAMESPACE,
        config.TEMPORAL_NAMESPACE_RETENTION_DAYS,
      );
      logger.info({ namespace: config.TEMPORAL_NAMESPACE, outcome }, 'namespace ready');
    }
    if (values['search-attributes'] === true) {
      await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
      logger.info({ namespace: config.TEMPORAL_NAMESPACE }, 'purchase search attributes registered');
    }
  } finally {
    await connection.close();
  }
  logger.flush();
}

main().catch(exitOnStartFailure(logger));

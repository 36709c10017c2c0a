import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { PiiCipher } from '../db/pii-cipher';
import { httpObservability } from '../observability/http-observability';
import { createApiMetrics } from '../observability/metrics';
import { metricsRoute } from '../observability/metrics-route';
import type { XjpClient } from '../partners/xjp';
import { requireApiKey } from './api-key-auth';
import { refuseControlCharactersInBody, refuseControlCharactersInUrl } from './control-characters';
import { healthRoutes } from './health-routes';
import { errorHandler, notFoundHandler } from './http-error';
import { investorRoutes } from './investor';
import { notificationRoutes } from './notification-routes';
import { type OperatorCredential, requireOperator } from './ops/operator-auth';
import { opsRoutes } from './ops/ops-routes';
import { reconciliationRoutes } from './ops/reconciliation-routes';
import { purchaseRoutes } from './purchase-routes';
import { purchaseWorkflows } from './purchase-workflows';

/** Everything the API is built from. */
export interface ApiDependencies {
  orm: MikroORM;
  temporal: Client;
  taskQueue: string;
  paymentWindowMs: number;
  xjp: XjpClient;
  pii: PiiCipher;
  apiKeys: readonly string[];
  xjpPublicKeyPem: string;
  lianlianPublicKeyPem: string;
  logger: Logger;
  /** Who may use /ops (config OPERATOR_KEYS); none by default, so /ops answers 401 to everyone. */
  operators?: readonly OperatorCredential[];
  /** Secret of the signed member identity (config MEMBER_SIGNING_SECRET); without it member-scoped routes answer 401. */
  memberSigningSecret?: string;
  /** The clock for member signature windows and "today" in the investor centre; tests may set it. */
  now?: () => Date;
}

/** The engine's HTTP API: `/v1` for the platform's backend, `/notify` for partners, `/ops` for operators, `/metrics`, health probes. */
export function createApiApp(deps: ApiDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  const workflows = purchaseWorkflows(deps.temporal, deps.taskQueue, deps.paymentWindowMs);
  const log = (message: string, fields: Record<string, unknown>) => deps.logger.warn(fields, message);

  const metrics = createApiMetrics(deps.orm, (err) => deps.logger.warn({ err }, 'metric collection failed'));

  app.use(httpObservability(metrics, deps.logger));
  app.get('/metrics', metricsRoute(metrics.registry));
  app.use(healthRoutes(deps.orm, deps.temporal));
  app.use(refuseControlCharactersInUrl);
  app.use('/notify', notificationRoutes({ orm: deps.orm, workflows, xjpPublicKeyPem: deps.xjpPublicKeyPem, lianlianPublicKeyPem: deps.lianlianPublicKeyPem, log }));
  app.use('/v1', requireApiKey(deps.apiKeys), express.json({ limit: '32kb' }), refuseControlCharactersInBody);
  // Before the purchase routes: it checks order ownership in front of GET /v1/purchases/:orderNo.
  app.use('/v1', investorRoutes({ orm: deps.orm, xjp: deps.xjp, memberSigningSecret: deps.memberSigningSecret, now: deps.now ?? (() => new Date()), pii: deps.pii }));
  app.use('/v1/purchases', purchaseRoutes({ orm: deps.orm, pii: deps.pii, xjp: deps.xjp, workflows }));
  // Every /ops router (these, reconciliation's) sits behind the operator key.
  app.use('/ops', requireOperator(deps.operators ?? []), express.json({ limit: '32kb' }), refuseControlCharactersInBody);
  app.use('/ops/reconciliation', reconciliationRoutes({ orm: deps.orm, temporal: deps.temporal, taskQueue: deps.taskQueue }));
  app.use('/ops', opsRoutes({ orm: deps.orm, workflows, logger: deps.logger }));
  app.use(notFoundHandler);
  app.use(errorHandler((message, err) => deps.logger.error({ err }, message)));
  return app;
}

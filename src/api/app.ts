import type { MikroORM } from '@mikro-orm/postgresql';
import { demandRoutes } from './demand/demand-routes';
import { demandWorkflows } from './demand/demand-workflows';
import { opsDemandRoutes } from './ops/demand-routes';
import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { PiiCipher } from '../db/pii-cipher';
import { httpObservability } from '../observability/http-observability';
import { httpTracing } from '../observability/http-tracing';
import { createApiMetrics } from '../observability/metrics';
import { metricsRoute } from '../observability/metrics-route';
import type { MemberTokenKey } from '../config/member-token-keys';
import { claimMemberTokenId } from '../db/repositories/member-tokens';
import type { XjpClient } from '../partners/xjp';
import { requireApiKey } from './api-key-auth';
import { codecRoutes, type CodecEndpointOptions } from './codec-routes';
import { refuseControlCharactersInBody, refuseControlCharactersInUrl } from './control-characters';
import { healthRoutes } from './health-routes';
import { errorHandler, notFoundHandler } from './http-error';
import { investorRoutes } from './investor';
import { memberIdentity } from './member-identity';
import { notificationRoutes } from './notification-routes';
import { auditOperatorActions, type OperatorCredential, requireOperator } from './ops/operator-auth';
import { financeRoutes } from './ops/finance-routes';
import { opsRoutes } from './ops/ops-routes';
import { productDisplayRoutes } from './ops/product-display-routes';
import { reconciliationRoutes } from './ops/reconciliation-routes';
import { refundRoutes } from './ops/refund-routes';
import { webhookRoutes } from './ops/webhook-routes';
import { purchaseRoutes } from './purchase-routes';
import { purchaseWorkflows } from './purchase-workflows';
import { apiKeyRateLimit, type RateLimits } from './rate-limits';
import { requestId } from './request-id';
import { temporalCallsEndWith } from './shutdown-abort';

/** Everything the API is built from. */
export interface ApiDependencies {
  orm: MikroORM;
  temporal: Client;
  taskQueue: string;
  paymentWindowMs: number;
  /** How long POST /v1/purchases waits for the run's answer before answering 202 (default 10 s). */
  purchaseAnswerWithinMs?: number;
  xjp: XjpClient;
  pii: PiiCipher;
  apiKeys: readonly string[];
  xjpPublicKeyPem: string;
  lianlianPublicKeyPem: string;
  /** Our merchant id at LianLian (config LIANLIAN_OID_PARTNER): payout notifications must name it. */
  lianlianOidPartner: string;
  /** Requests per minute per API key on /v1 and per partner on /notify (config RATE_LIMIT_*). */
  rateLimits: RateLimits;
  logger: Logger;
  /** Who may use /ops (config OPERATOR_KEYS); none by default, so /ops answers 401 to everyone. */
  operators?: readonly OperatorCredential[];
  /** Keys member tokens are verified with (config MEMBER_TOKEN_KEYS); without them member-scoped routes answer 401. */
  memberTokenKeys?: readonly MemberTokenKey[];
  /** The `aud` member tokens must carry (config MEMBER_TOKEN_AUDIENCE). */
  memberTokenAudience: string;
  /** The clock for member token expiry and "today" in the investor centre; tests may set it. */
  now?: () => Date;
  /** True once the process is stopping: `/readyz` then answers 503. */
  isDraining?: () => boolean;
  /** The payload codec the Web UI decodes through (`/codec`); absent when payloads are not encrypted. */
  codec?: CodecEndpointOptions;
  /** Aborted when the process stops: Temporal calls still in flight for a request are cancelled then. */
  shutdownSignal?: AbortSignal;
}

/** The engine's HTTP API: `/v1` for the platform's backend, `/notify` for partners, `/ops` for operators, `/metrics`, health probes. */
export function createApiApp(deps: ApiDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  const workflows = purchaseWorkflows(deps.temporal, deps.taskQueue, deps.purchaseAnswerWithinMs);
  const log = (message: string, fields: Record<string, unknown>) => deps.logger.warn(fields, message);

  const metrics = createApiMetrics(deps.orm, (err) => deps.logger.warn({ err }, 'metric collection failed'));

  if (deps.shutdownSignal !== undefined) app.use(temporalCallsEndWith(deps.temporal, deps.shutdownSignal));
  // First: the request id and the request's span are current for everything after, the log line included.
  app.use(requestId(), httpTracing(), httpObservability(metrics, deps.logger));
  app.get('/metrics', metricsRoute(metrics.registry));
  app.use(
    healthRoutes(
      deps.orm,
      deps.temporal,
      (dependency, err) => deps.logger.warn({ err, dependency }, 'readiness check failed'),
      deps.isDraining,
    ),
  );
  if (deps.codec !== undefined) app.use('/codec', codecRoutes(deps.codec, deps.operators ?? []));
  app.use(refuseControlCharactersInUrl);
  app.use(
    '/notify',
    notificationRoutes({
      orm: deps.orm,
      workflows,
      xjpPublicKeyPem: deps.xjpPublicKeyPem,
      lianlianPublicKeyPem: deps.lianlianPublicKeyPem,
      lianlianOidPartner: deps.lianlianOidPartner,
      perMinute: deps.rateLimits.notifyPerMinute,
      log,
      count: (partner, result) => metrics.notifications.inc({ partner, result }),
    }),
  );
  // Notifications act for no member: the partner's signature is their credential. /v1 is the platform's (API key), limited per key.
  app.use(
    '/v1',
    apiKeyRateLimit(deps.rateLimits.v1PerMinute, deps.apiKeys),
    requireApiKey(deps.apiKeys),
    express.json({ limit: '32kb' }),
    refuseControlCharactersInBody,
  );
  const now = deps.now ?? (() => new Date());
  const member = memberIdentity({
    keys: deps.memberTokenKeys,
    audience: deps.memberTokenAudience,
    now,
    claimTokenId: (use) => claimMemberTokenId(deps.orm.em.fork(), { ...use, now: now() }),
  });
  // Before the purchase routes: it checks the member in front of every /v1/purchases route.
  app.use('/v1', investorRoutes({ orm: deps.orm, xjp: deps.xjp, member, now, pii: deps.pii }));
  app.use(
    '/v1/demand',
    demandRoutes({
      orm: deps.orm,
      xjp: deps.xjp,
      member,
      workflows: demandWorkflows(deps.temporal, deps.taskQueue),
    }),
  );
  app.use(
    '/v1/purchases',
    purchaseRoutes({ orm: deps.orm, pii: deps.pii, xjp: deps.xjp, workflows, paymentWindowMs: deps.paymentWindowMs }),
  );
  // Every /ops router (these, reconciliation's) sits behind the operator key; each action route names its roles (requireRole).
  app.use(
    '/ops',
    requireOperator(deps.operators ?? []),
    auditOperatorActions(deps.logger),
    express.json({ limit: '32kb' }),
    refuseControlCharactersInBody,
  );
  app.use(
    '/ops/reconciliation',
    reconciliationRoutes({ orm: deps.orm, temporal: deps.temporal, taskQueue: deps.taskQueue }),
  );
  app.use('/ops', opsRoutes({ orm: deps.orm, workflows, logger: deps.logger }));
  app.use('/ops', financeRoutes({ orm: deps.orm, temporal: deps.temporal, logger: deps.logger }));
  app.use('/ops', refundRoutes({ orm: deps.orm, temporal: deps.temporal, logger: deps.logger }));
  app.use('/ops', webhookRoutes({ orm: deps.orm, logger: deps.logger }));
  app.use('/ops', productDisplayRoutes({ orm: deps.orm, xjp: deps.xjp, logger: deps.logger }));
  app.use('/ops', opsDemandRoutes({ orm: deps.orm, xjp: deps.xjp }));
  app.use(notFoundHandler);
  app.use(errorHandler((message, err) => deps.logger.error({ err }, message)));
  return app;
}

import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { WebhookDelivery, WebhookDeliveryAttempt } from '../../db/entities/webhook';
import { findDelivery, listAttempts, listDeliveries, replayDelivery } from '../../db/repositories/webhooks';
import { WEBHOOK_DELIVERY_STATUSES } from '../../domain/webhook';
import { webhookPayload } from '../../webhooks/payload';
import { HttpError, parseOrThrow } from '../http-error';
import { orderNoSchema } from '../purchase-schemas';
import { auditSchema } from './finance-routes';
import { operatorOf, requireRole } from './operator-auth';

/** What the webhook routes need. */
export interface WebhookRouteDeps {
  orm: MikroORM;
  logger: Logger;
}

const listQuerySchema = z.strictObject({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  endpoint: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'an endpoint name')
    .optional(),
  orderNo: orderNoSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const deliveryIdSchema = z.string().regex(/^whd_[0-9a-f]{32}$/, 'a delivery id (whd_…)');

function deliveryView(delivery: WebhookDelivery) {
  const { event } = delivery;
  return {
    deliveryId: delivery.id,
    endpoint: delivery.endpoint,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.status === 'PENDING' ? delivery.nextAttemptAt.toISOString() : null,
    lastError: delivery.lastError,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    replayedBy: delivery.replayedBy,
    replayReason: delivery.replayReason,
    event: webhookPayload(event),
  };
}

function attemptView(attempt: WebhookDeliveryAttempt) {
  return {
    attempt: attempt.attempt,
    statusCode: attempt.statusCode,
    error: attempt.error,
    durationMs: attempt.durationMs,
    attemptedAt: attempt.attemptedAt.toISOString(),
  };
}

/**
 * `/ops/webhooks`: the deliveries of order events to the platform with their attempt log (any
 * operator may read them), and the replay of one (the `operator` role, audited with a reason and
 * evidence): it is sent again at the next dispatch, with a fresh round of retries.
 */
export function webhookRoutes({ orm, logger }: WebhookRouteDeps): Router {
  const router = Router();

  router.get('/webhooks/deliveries', async (req, res) => {
    const filter = parseOrThrow(listQuerySchema, req.query, 'query');
    const deliveries = await listDeliveries(orm.em.fork(), filter);
    res.json({ deliveries: deliveries.map(deliveryView) });
  });

  router.get('/webhooks/deliveries/:deliveryId', async (req, res) => {
    const id = parseOrThrow(deliveryIdSchema, req.params.deliveryId, 'path.deliveryId');
    const em = orm.em.fork();
    const delivery = await findDelivery(em, id);
    if (delivery === null) throw new HttpError(404, 'NOT_FOUND', `no webhook delivery ${id}`);
    res.json({ ...deliveryView(delivery), log: (await listAttempts(em, id)).map(attemptView) });
  });

  router.post('/webhooks/deliveries/:deliveryId/replay', requireRole('operator'), async (req, res) => {
    const id = parseOrThrow(deliveryIdSchema, req.params.deliveryId, 'path.deliveryId');
    const audit = parseOrThrow(auditSchema, req.body ?? {}, 'body');
    const operator = operatorOf(res);
    const delivery = await replayDelivery(orm.em.fork(), id, { operator, reason: audit.reason, at: new Date() });
    if (delivery === null) throw new HttpError(404, 'NOT_FOUND', `no webhook delivery ${id}`);
    logger.info(
      { deliveryId: id, endpoint: delivery.endpoint, orderNo: delivery.orderNo, operator, ...audit },
      'operator replayed a webhook delivery',
    );
    res.status(202).json(deliveryView((await findDelivery(orm.em.fork(), id)) ?? delivery));
  });

  return router;
}

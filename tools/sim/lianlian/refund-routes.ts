import { Router } from 'express';
import { z } from 'zod';
import { fenToYuan } from '../common/yuan';
import type { RefundDesk, RefundRefusal, SimRefund } from './refunds';
import { RET, reply, shanghaiTimestamp, yuanFen } from './wire';

const applySchema = z.object({
  oid_partner: z.string().min(1),
  no_refund: z.string().min(1).max(64),
  dt_refund: shanghaiTimestamp,
  money_refund: yuanFen,
  oid_paybill: z.string().min(1),
  notify_url: z.url(),
});
const querySchema = z.object({ oid_partner: z.string().min(1), no_refund: z.string().min(1) });

const REFUSALS: Record<RefundRefusal, [code: string, message: string]> = {
  conflict: [RET.conflictingOrder, 'no_refund already used with different content'],
  'no-such-payment': [RET.noSuchPayment, 'no paid payment with this oid_paybill'],
  'exceeds-payment': [RET.refundExceedsPayment, 'refunds would exceed what was paid'],
};

/** A refund in LianLian's wire words, as the query, the notification and the apply answer report it. */
export function refundWire(refund: SimRefund): Record<string, string> {
  return {
    no_refund: refund.no_refund,
    dt_refund: refund.dt_refund,
    money_refund: fenToYuan(refund.moneyFen),
    oid_paybill: refund.oid_paybill,
    oid_refundno: refund.oid_refundno,
    sta_refund: refund.sta_refund,
    settle_date: refund.settle_date ?? '',
  };
}

/** The signed refund API (退款 to the paying card), mounted under the gateway. */
export function refundRoutes(desk: RefundDesk): Router {
  const router = Router();

  router.post('/refund/apply', (req, res) => {
    const parsed = applySchema.safeParse(req.body);
    if (!parsed.success) {
      reply(res, RET.malformed, z.prettifyError(parsed.error));
      return;
    }
    const { money_refund: moneyFen, ...rest } = parsed.data;
    const refund = desk.apply({ ...rest, moneyFen }, new Date());
    if (typeof refund === 'string') {
      reply(res, ...REFUSALS[refund]);
      return;
    }
    reply(res, RET.ok, 'ok', refundWire(refund));
  });

  router.post('/refund/query', (req, res) => {
    const parsed = querySchema.safeParse(req.body);
    if (!parsed.success) {
      reply(res, RET.malformed, z.prettifyError(parsed.error));
      return;
    }
    const refund = desk.find(parsed.data.oid_partner, parsed.data.no_refund);
    if (refund === undefined) {
      reply(res, RET.noSuchRefund, 'no such refund');
      return;
    }
    reply(res, RET.ok, 'ok', refundWire(refund));
  });

  return router;
}

import { Router, type Request } from 'express';
import { z } from 'zod';
import { fenToYuan } from '../common/yuan';
import { isValidCardNo } from './card';
import type { PayoutDesk, SimPayout } from './payouts';
import { RET, reply, shanghaiTimestamp, yuanFen } from './wire';

const applySchema = z.object({
  oid_partner: z.string().min(1),
  no_order: z.string().min(1).max(64),
  dt_order: shanghaiTimestamp,
  money_order: yuanFen,
  card_no: z.string(),
  acct_name: z.string().min(1),
  bank_code: z.string().min(1),
  info_order: z.string().default(''),
  notify_url: z.url(),
});
const byOrderSchema = z.object({ oid_partner: z.string().min(1), no_order: z.string().min(1) });

function summary(payout: SimPayout): Record<string, unknown> {
  return { no_order: payout.no_order, oid_paybill: payout.oid_paybill, result_pay: payout.result_pay };
}

/** The signed payout (代付) API, mounted under the gateway. */
export function payoutRoutes(desk: PayoutDesk): Router {
  const router = Router();

  router.post('/payout/apply', (req, res) => {
    const parsed = applySchema.safeParse(req.body);
    if (!parsed.success) {
      reply(res, RET.malformed, z.prettifyError(parsed.error));
      return;
    }
    if (!isValidCardNo(parsed.data.card_no)) {
      reply(res, RET.invalidCard, 'card_no is not a valid bank card number');
      return;
    }
    const { money_order: moneyFen, ...rest } = parsed.data;
    const payout = desk.apply({ ...rest, moneyFen }, new Date());
    if (payout === 'conflict') {
      reply(res, RET.conflictingOrder, 'no_order already used with different content');
      return;
    }
    if (payout.fault === 'conflict' && payout.conflictAnswered !== true) {
      // The nasty refusal: the payout was taken and will pay, yet the answer says 4002.
      payout.conflictAnswered = true;
      reply(res, RET.conflictingOrder, 'no_order already used with different content');
      return;
    }
    reply(res, RET.ok, 'ok', summary(payout));
  });

  const withPayout =
    (run: (payout: SimPayout) => Record<string, unknown>) => (req: Request, res: Parameters<typeof reply>[0]) => {
      const parsed = byOrderSchema.safeParse(req.body);
      if (!parsed.success) {
        reply(res, RET.malformed, z.prettifyError(parsed.error));
        return;
      }
      const payout = desk.find(parsed.data.oid_partner, parsed.data.no_order);
      if (payout === undefined) {
        reply(res, RET.noSuchPayout, 'no such payout');
        return;
      }
      reply(res, RET.ok, 'ok', run(payout));
    };

  router.post(
    '/payout/confirm',
    withPayout((payout) => {
      desk.confirm(payout);
      return summary(payout);
    }),
  );

  router.post(
    '/payout/query',
    withPayout((payout) => ({
      ...summary(payout),
      money_order: fenToYuan(payout.moneyFen),
      settle_date: payout.settle_date,
      dt_order: payout.dt_order,
    })),
  );

  return router;
}

import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Notifier } from '../common/notifier';
import { shanghaiCompactDate } from '../common/shanghai-time';
import { fenToYuan } from '../common/yuan';
import { renderCashier, renderOutcome } from './cashier-page';
import type { PaymentBook, SimPayment } from './payments';
import { sendResultNotification } from './result-notification';
import { RET, reply, shanghaiTimestamp, yuanFen } from './wire';

const payCreateSchema = z.object({
  oid_partner: z.string().min(1),
  no_order: z.string().min(1).max(64),
  dt_order: shanghaiTimestamp,
  money_order: yuanFen,
  name_goods: z.string().min(1),
  info_order: z.string().min(1).max(255).optional(),
  valid_order: z.coerce
    .number()
    .int()
    .positive()
    .max(60 * 24 * 30)
    .optional(),
  url_return: z.url().optional(),
  notify_url: z.url(),
});

/** What the payment routes reach. */
export interface PaymentRoutesDeps {
  payments: PaymentBook;
  notifier: Notifier;
  lianlianPrivateKeyPem: string;
  /** The cashier's base URL as browsers reach it. */
  publicUrl(): string;
  /** The payee the cashier names: XJP, the one merchant that collects through it. */
  payeeName: string;
}

function wantsJson(req: Request): boolean {
  return (req.get('accept') ?? '').includes('application/json');
}

function paymentJson(payment: SimPayment): Record<string, unknown> {
  const { no_order, dt_order, name_goods, status, oid_paybill, paidAt } = payment;
  return {
    no_order,
    dt_order,
    money_order: fenToYuan(payment.moneyFen),
    name_goods,
    status,
    oid_paybill,
    paid_at: paidAt,
  };
}

/** `/gateway/pay/create` (signed, mounted under the gateway) and the browser-facing cashier. */
export function paymentRoutes(deps: PaymentRoutesDeps): { gateway: Router; cashier: Router } {
  const gateway = Router();
  gateway.post('/pay/create', (req, res) => {
    const parsed = payCreateSchema.safeParse(req.body);
    if (!parsed.success) {
      reply(res, RET.malformed, z.prettifyError(parsed.error));
      return;
    }
    const { money_order: moneyFen, ...rest } = parsed.data;
    const payment = deps.payments.create({ ...rest, moneyFen }, new Date());
    if (payment === 'conflict') {
      reply(res, RET.conflictingOrder, 'no_order already used with different content');
      return;
    }
    reply(res, RET.ok, 'ok', { token: payment.token, cashier_url: `${deps.publicUrl()}/cashier/${payment.token}` });
  });

  const cashier = Router();
  const withPayment =
    (run: (payment: SimPayment, req: Request, res: Response) => void) =>
    (req: Request<{ token: string }>, res: Response): void => {
      const payment = deps.payments.find(req.params.token);
      if (payment === undefined) {
        res.status(404).json({ ret_code: 'PAYMENT_NOT_FOUND', ret_msg: 'no such cashier' });
        return;
      }
      run(payment, req, res);
    };
  const show =
    (render: (payment: SimPayment) => string) =>
    (payment: SimPayment, req: Request, res: Response): void => {
      if (wantsJson(req)) res.json(paymentJson(payment));
      else res.type('html').send(render(payment));
    };

  const payee = deps.payeeName;
  cashier.get('/:token', withPayment(show((payment) => renderCashier(payment, payee))));

  cashier.post(
    '/:token/pay',
    withPayment((payment, req, res) => {
      // `?amountFen=`: a simulator-only fault, the money that arrives differs from the order's.
      const asked = z.coerce.number().int().positive().safeParse(req.query.amountFen);
      const arrivedFen = asked.success ? asked.data : payment.moneyFen;
      if (payment.status === 'CANCELLED') {
        res.status(409);
      } else if (deps.payments.pay(payment, new Date(), arrivedFen)) {
        sendResultNotification(deps.notifier, deps.lianlianPrivateKeyPem, payment.notify_url, {
          oid_partner: payment.oid_partner,
          no_order: payment.no_order,
          dt_order: payment.dt_order,
          money_order: fenToYuan(arrivedFen),
          oid_paybill: payment.oid_paybill ?? '',
          result_pay: 'SUCCESS',
          settle_date: shanghaiCompactDate(new Date()),
        });
      }
      show((paid) => renderOutcome(paid, payee))(payment, req, res);
    }),
  );

  cashier.post(
    '/:token/cancel',
    withPayment((payment, req, res) => {
      if (payment.status === 'WAITING') payment.status = 'CANCELLED';
      else if (payment.status === 'PAID') res.status(409);
      show((cancelled) => renderOutcome(cancelled, payee))(payment, req, res);
    }),
  );

  return { gateway, cashier };
}

import { Router } from 'express';
import { z } from 'zod';
import { endpointFaultSchema, type EndpointFaults } from '../common/endpoint-faults';
import { notificationFaultSchema, type Notifier } from '../common/notifier';
import type { PaymentBook } from './payments';
import { payoutFaultSchema, type PayoutDesk } from './payouts';
import { refundFaultSchema, type RefundDesk } from './refunds';

/** What the admin API reaches. */
export interface LianLianAdminDeps {
  payments: PaymentBook;
  desk: PayoutDesk;
  refunds: RefundDesk;
  faults: EndpointFaults;
  notifier: Notifier;
  reset(): void;
}

/** The unsigned `/admin` API: faults, state and reset. */
export function lianLianAdminRoutes({ payments, desk, refunds, faults, notifier, reset }: LianLianAdminDeps): Router {
  const router = Router();

  const arm = <T>(path: string, schema: z.ZodType<T>, add: (fault: T) => unknown) => {
    router.post(path, (req, res) => {
      const parsed = schema.safeParse(req.body);
      if (!parsed.success) {
        res.status(400).json({ ret_code: '1003', ret_msg: z.prettifyError(parsed.error) });
        return;
      }
      res.json({ ret_code: '0000', ret_msg: 'ok', armed: add(parsed.data) });
    });
  };
  arm('/faults', endpointFaultSchema, (fault) => {
    faults.add(fault);
    return faults.list();
  });
  arm('/notification-faults', notificationFaultSchema, (fault) => {
    notifier.addFault(fault);
    return notifier.pendingFaults();
  });
  arm('/payout-faults', payoutFaultSchema, (fault) => {
    desk.addFault(fault);
    return desk.pendingFaults();
  });

  arm('/refund-faults', refundFaultSchema, (fault) => {
    refunds.addFault(fault);
    return refunds.snapshot().faults;
  });

  router.get('/state', (_req, res) => {
    res.json({
      payments: payments.list(),
      payouts: desk.list(),
      refunds: refunds.list(),
      notifications: notifier.list(),
      faults: { endpoints: faults.list(), notifications: notifier.pendingFaults(), payouts: desk.pendingFaults() },
    });
  });

  router.post('/reset', (_req, res) => {
    reset();
    res.json({ ret_code: '0000', ret_msg: 'ok' });
  });

  return router;
}

import express, { type ErrorRequestHandler, type Express } from 'express';
import { EndpointFaults, endpointFaultMiddleware } from '../common/endpoint-faults';
import { listenApp, type RunningSimulator } from '../common/listen';
import { Notifier } from '../common/notifier';
import { parseShanghaiTimestamp } from '../common/shanghai-time';
import { requireSignature, TIMESTAMP_WINDOW_MS } from '../common/signature-check';
import { StateFile } from '../common/state-file';
import { StatementFaults } from '../common/statement-faults';
import { TimerSet } from '../common/timers';
import { fenToYuan } from '../common/yuan';
import { lianLianAdminRoutes } from './admin-routes';
import { lianLianSimulatorOptionsSchema, type LianLianSimulatorOptions } from './options';
import { paymentRoutes } from './payment-routes';
import { PaymentBook, type PaymentBooks } from './payments';
import { payoutRoutes } from './payout-routes';
import { PayoutDesk, type PayoutBooks } from './payouts';
import { refundRoutes, refundWire } from './refund-routes';
import { RefundDesk, type RefundBooks } from './refunds';
import { sendResultNotification, sendSignedNotification } from './result-notification';
import { payoutStatementAdminRoutes, payoutStatementRoutes, refundStatementRoutes } from './statement-routes';
import { RET, reply } from './wire';

/** The LianLian simulator: an Express app and a way to run it. */
export interface LianLianSimulator {
  app: Express;
  payments: PaymentBook;
  desk: PayoutDesk;
  refunds: RefundDesk;
  listen(port?: number): Promise<RunningSimulator>;
}

const malformedJson: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (error instanceof SyntaxError) {
    reply(res, RET.malformed, 'body is not JSON');
    return;
  }
  next(error);
};

/** Builds a LianLian simulator with its own in-memory books. */
export function createLianLianSimulator(options: LianLianSimulatorOptions): LianLianSimulator {
  const config = lianLianSimulatorOptionsSchema.parse(options);
  const timers = new TimerSet();
  const faults = new EndpointFaults();
  const statementFaults = new StatementFaults();
  const payments = new PaymentBook();
  const notifier = new Notifier({
    schedule: config.notificationRetry,
    timeoutMs: config.notificationTimeoutMs,
    timers,
    isAcknowledged: (_status, answer) =>
      typeof answer === 'object' && answer !== null && 'ret_code' in answer && answer.ret_code === RET.ok,
  });
  const desk = new PayoutDesk(config.payout, timers, (payout) =>
    sendResultNotification(notifier, config.lianlianPrivateKeyPem, payout.notify_url, {
      oid_partner: payout.oid_partner,
      no_order: payout.no_order,
      dt_order: payout.dt_order,
      money_order: fenToYuan(payout.moneyFen),
      oid_paybill: payout.oid_paybill,
      result_pay: payout.result_pay,
      settle_date: payout.settle_date ?? '',
    }),
  );
  const refunds = new RefundDesk(payments, config.payout.stepDelayMs, timers, (refund) =>
    sendSignedNotification(
      notifier,
      config.lianlianPrivateKeyPem,
      refund.notify_url,
      { oid_partner: refund.oid_partner, ...refundWire(refund) },
      { no_refund: refund.no_refund, sta_refund: refund.sta_refund },
    ),
  );
  const merchantKeys = new Map([
    [config.xjpOidPartner, config.xjpPublicKeyPem],
    [config.platformOidPartner, config.platformPublicKeyPem],
  ]);
  const stateFile =
    config.stateFile === undefined
      ? undefined
      : new StateFile(config.stateFile, {
          snapshot: () => ({ payments: payments.snapshot(), payouts: desk.snapshot(), refunds: refunds.snapshot() }),
          restore: (saved: { payments: PaymentBooks; payouts: PayoutBooks; refunds?: RefundBooks }) => {
            payments.restore(saved.payments);
            desk.restore(saved.payouts);
            // Books written before refunds existed have none.
            if (saved.refunds !== undefined) refunds.restore(saved.refunds);
          },
        });
  let selfUrl = config.publicBaseUrl;
  const payment = paymentRoutes({
    payments,
    notifier,
    lianlianPrivateKeyPem: config.lianlianPrivateKeyPem,
    publicUrl: () => selfUrl ?? '',
    payeeName: config.xjpMerchantName,
  });

  const app = express();
  if (stateFile) app.use(stateFile.middleware());
  app.use(express.json());
  app.use(endpointFaultMiddleware(faults, timers, { ret_code: '9999', ret_msg: 'injected fault' }));
  app.use(
    '/admin',
    lianLianAdminRoutes({
      payments,
      desk,
      refunds,
      faults,
      notifier,
      reset: () => {
        timers.reset();
        payments.reset();
        desk.reset();
        refunds.reset();
        faults.reset();
        notifier.reset();
        statementFaults.reset();
      },
    }),
  );
  app.use('/admin', payoutStatementAdminRoutes(statementFaults));
  app.use('/cashier', payment.cashier);
  app.use(
    '/gateway',
    requireSignature({
      publicKeyPem: (body) => (typeof body.oid_partner === 'string' ? merchantKeys.get(body.oid_partner) : undefined),
      sentAt: (body) => (typeof body.timestamp === 'string' ? parseShanghaiTimestamp(body.timestamp) : undefined),
      windowMs: TIMESTAMP_WINDOW_MS,
      refuse: (res, refusal) => {
        const code = {
          INVALID_SIGNATURE: RET.badSignature,
          STALE_TIMESTAMP: RET.staleTimestamp,
          MALFORMED: RET.malformed,
        }[refusal];
        reply(res, code, refusal);
      },
    }),
    payment.gateway,
    payoutRoutes(desk),
    refundRoutes(refunds),
    payoutStatementRoutes(desk, statementFaults),
    refundStatementRoutes(refunds),
  );
  app.use(malformedJson);

  return {
    app,
    payments,
    desk,
    refunds,
    listen: async (port = 0) => {
      const running = await listenApp(app, port, config.host, () => {
        timers.clear();
        stateFile?.close();
      });
      selfUrl ??= running.url;
      return running;
    },
  };
}

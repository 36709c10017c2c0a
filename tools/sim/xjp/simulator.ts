import express, { type ErrorRequestHandler, type Express } from 'express';
import { EndpointFaults, endpointFaultMiddleware } from '../common/endpoint-faults';
import { listenApp, type RunningSimulator } from '../common/listen';
import { Notifier } from '../common/notifier';
import { requireSignature, TIMESTAMP_WINDOW_MS } from '../common/signature-check';
import { StateFile, type PersistentBooks } from '../common/state-file';
import { StatementFaults } from '../common/statement-faults';
import { TimerSet } from '../common/timers';
import { xjpAdminRoutes } from './admin-routes';
import { xjpApiRoutes } from './api-routes';
import { xjpSimulatorOptionsSchema, type XjpSimulatorOptions } from './options';
import { xjpStatementAdminRoutes, xjpStatementRoutes } from './statement-routes';
import { createPayment } from './payment-gateway';
import { PAYMENT_CALLBACK_PATH, paymentCallbackRoutes } from './payment-callback';
import { XjpStore, type XjpBooks } from './store';
import { DemandBook, type DemandBooks } from './demand/book';
import { xjpDemandRoutes } from './demand/routes';

/** The XJP simulator: an Express app and a way to run it. */
export interface XjpSimulator {
  app: Express;
  store: XjpStore;
  /** The demand product's books. */
  demand: DemandBook;
  listen(port?: number): Promise<RunningSimulator>;
}

function isoInstant(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

const malformedJson: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (error instanceof SyntaxError) {
    res.status(400).json({ code: 'INVALID_REQUEST', message: 'body is not JSON' });
    return;
  }
  next(error);
};

/** Builds an XJP simulator with its own in-memory books. */
export function createXjpSimulator(options: XjpSimulatorOptions): XjpSimulator {
  const config = xjpSimulatorOptionsSchema.parse(options);
  const timers = new TimerSet();
  const store = new XjpStore();
  const demand = new DemandBook((accountNo) => [...store.accounts.values()].some((a) => a.accountNo === accountNo));
  const faults = new EndpointFaults();
  const statementFaults = new StatementFaults();
  const notifier = new Notifier({
    schedule: config.notificationRetry,
    timeoutMs: config.notificationTimeoutMs,
    timers,
    isAcknowledged: (status, answer) =>
      status === 200 && typeof answer === 'object' && answer !== null && 'code' in answer && answer.code === 'SUCCESS',
  });
  let selfUrl = config.publicBaseUrl;

  // One file for both books; a file written before the demand product existed has no demand part.
  const books: PersistentBooks<XjpBooks & { demand?: DemandBooks }> = {
    snapshot: () => ({ ...store.snapshot(), demand: demand.snapshot() }),
    restore: (saved) => {
      store.restore(saved);
      if (saved.demand !== undefined) demand.restore(saved.demand);
    },
  };
  const stateFile = config.stateFile === undefined ? undefined : new StateFile(config.stateFile, books);

  const app = express();
  if (stateFile) app.use(stateFile.middleware());
  app.use(express.json());
  app.use(endpointFaultMiddleware(faults, timers, { code: 'INTERNAL_ERROR', message: 'injected fault' }));
  app.use(
    '/admin',
    xjpAdminRoutes({
      store,
      demand,
      faults,
      notifier,
      reset: () => {
        timers.reset();
        store.reset();
        demand.reset();
        faults.reset();
        notifier.reset();
        statementFaults.reset();
      },
    }),
  );
  app.use('/admin', xjpStatementAdminRoutes(statementFaults));
  const gateway = {
    lianlianBaseUrl: config.lianlianBaseUrl,
    oidPartner: config.lianlianOidPartner,
    xjpPrivateKeyPem: config.xjpPrivateKeyPem,
    timeoutMs: config.lianlianTimeoutMs,
    paymentWindowMinutes: config.paymentWindowMinutes,
    returnUrl: config.paymentReturnUrl,
  };
  const paymentCallbackUrl = () => `${selfUrl ?? ''}${PAYMENT_CALLBACK_PATH}`;
  app.use(
    paymentCallbackRoutes({
      store,
      demand,
      notifier,
      lianlianOidPartner: config.lianlianOidPartner,
      lianlianPublicKeyPem: config.lianlianPublicKeyPem,
      xjpPrivateKeyPem: config.xjpPrivateKeyPem,
      engineNotifyUrl: config.engineNotifyUrl,
    }),
  );
  app.use(
    '/api',
    requireSignature({
      publicKeyPem: (body) => (body.partnerId === config.partnerId ? config.platformPublicKeyPem : undefined),
      sentAt: (body) => isoInstant(body.timestamp),
      windowMs: TIMESTAMP_WINDOW_MS,
      refuse: (res, refusal) =>
        refusal === 'MALFORMED'
          ? res
              .status(400)
              .json({ code: 'INVALID_REQUEST', message: 'a signed JSON object with an ISO-8601 timestamp is required' })
          : res.status(401).json({ code: refusal }),
    }),
    xjpApiRoutes({
      store,
      demand,
      createPayment: (order) => createPayment(gateway, order, paymentCallbackUrl()),
    }),
    xjpStatementRoutes(store, statementFaults),
    xjpDemandRoutes({
      book: demand,
      paymentWindowMinutes: config.paymentWindowMinutes,
      // The subscription is paid at LianLian's cashier as an order is: under XJP's number, for the platform's id.
      createPayment: (s) =>
        createPayment(
          gateway,
          {
            xjpOrderNo: s.xjpSubscriptionNo,
            orderTime: s.requestedAt,
            amountFen: s.amountFen,
            productName: demand.product(s.productCode).name,
            purchaseRecordId: s.subscriptionId,
          },
          paymentCallbackUrl(),
        ),
    }),
  );
  app.use(malformedJson);

  return {
    app,
    store,
    demand,
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

import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { endpointFaultSchema, type EndpointFaults } from '../common/endpoint-faults';
import { notificationFaultSchema, type Notifier } from '../common/notifier';
import type { SimProduct } from './catalogue';
import type { XjpStore } from './store';
import type { DemandBook } from './demand/book';
import { SIM_DEMAND_PRODUCT } from './demand/product';

const skewSchema = z.object({ fen: z.number().int().safe() });
const shiftSchema = z.object({ days: z.number().int().min(-3660).max(3660) });
const memberLimitSchema = z.object({ fen: z.number().int().positive().safe().nullable() });

/** What the admin API reaches. */
export interface XjpAdminDeps {
  store: XjpStore;
  demand: DemandBook;
  faults: EndpointFaults;
  notifier: Notifier;
  reset(): void;
}

function parsed<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
  const result = schema.safeParse(req.body);
  if (!result.success) res.status(400).json({ code: 'INVALID_REQUEST', message: z.prettifyError(result.error) });
  return result.success ? result.data : undefined;
}

/** The unsigned `/admin` API: faults, knobs, state and reset. */
export function xjpAdminRoutes({ store, demand, faults, notifier, reset }: XjpAdminDeps): Router {
  const router = Router();

  router.post('/faults', (req, res) => {
    const fault = parsed(endpointFaultSchema, req, res);
    if (fault === undefined) return;
    faults.add(fault);
    res.json({ code: 'SUCCESS', data: faults.list() });
  });

  router.post('/notification-faults', (req, res) => {
    const fault = parsed(notificationFaultSchema, req, res);
    if (fault === undefined) return;
    notifier.addFault(fault);
    res.json({ code: 'SUCCESS', data: notifier.pendingFaults() });
  });

  router.post('/payments/:xjpOrderNo/never', (req, res) => {
    const order = store.orders.get(req.params.xjpOrderNo);
    if (order === undefined) {
      res.status(404).json({ code: 'ORDER_NOT_FOUND' });
      return;
    }
    order.paymentNever = true;
    res.json({ code: 'SUCCESS', data: { xjpOrderNo: order.xjpOrderNo, paymentNever: true } });
  });

  /** A knob on one product; `change` answers undefined when the body is not `expected`. */
  const productKnob = (
    path: string,
    change: (product: SimProduct, req: Request) => true | undefined,
    expected = '{}',
  ): void => {
    router.post(`/products/:productId/${path}`, (req: Request<{ productId: string }>, res) => {
      const product = store.products.get(req.params.productId);
      if (product === undefined) {
        res.status(404).json({ code: 'PRODUCT_NOT_FOUND' });
        return;
      }
      if (change(product, req) === undefined) {
        res.status(400).json({ code: 'INVALID_REQUEST', message: `body must be ${expected}` });
        return;
      }
      res.json({ code: 'SUCCESS', data: adminProductView(store, product) });
    });
  };
  for (const [path, listed] of [
    ['list', true],
    ['delist', false],
  ] as const) {
    productKnob(path, (product) => {
      product.listed = listed;
      return true;
    });
  }
  productKnob(
    'interest-skew',
    (product, req) => {
      const skew = skewSchema.safeParse(req.body);
      if (!skew.success) return undefined;
      product.interestSkewFen = skew.data.fen;
      return true;
    },
    '{ fen: integer }',
  );

  productKnob(
    'date-shift',
    (product, req) => {
      const shift = shiftSchema.safeParse(req.body);
      if (!shift.success) return undefined;
      product.maturityShiftDays = shift.data.days;
      return true;
    },
    '{ days: integer }',
  );

  productKnob(
    'member-limit',
    (product, req) => {
      const limit = memberLimitSchema.safeParse(req.body);
      if (!limit.success) return undefined;
      if (limit.data.fen === null) delete product.memberLimitFen;
      else product.memberLimitFen = limit.data.fen;
      return true;
    },
    '{ fen: positive integer | null }',
  );

  // The demand product's holding cap, changed under the engine (which checked the one it read at subscription).
  router.post('/demand/products/:productCode/holding-cap', (req, res) => {
    const cap = parsed(memberLimitSchema, req, res);
    if (cap === undefined) return;
    if (req.params.productCode !== SIM_DEMAND_PRODUCT.productCode) {
      res.status(404).json({ code: 'PRODUCT_NOT_FOUND' });
      return;
    }
    demand.setHoldingCap(cap.fen);
    res.json({ code: 'SUCCESS', data: demand.product(SIM_DEMAND_PRODUCT.productCode) });
  });

  router.get('/state', (_req, res) => {
    res.json({
      products: [...store.products.values()].map((p) => adminProductView(store, p)),
      accounts: [...store.accounts.values()],
      subscriptions: [...store.orders.values()],
      demand: demand.snapshot(),
      notifications: notifier.list(),
      faults: { endpoints: faults.list(), notifications: notifier.pendingFaults() },
    });
  });

  router.post('/reset', (_req, res) => {
    reset();
    res.json({ code: 'SUCCESS' });
  });

  return router;
}

function adminProductView(store: XjpStore, product: SimProduct): Record<string, unknown> {
  const view = store.productView(product);
  const { listed, onHome, interestSkewFen, maturityShiftDays } = product;
  const remainingFen = product.raiseTargetFen - view.raisedFen;
  return { ...view, remainingFen, listed, onHome, interestSkewFen, maturityShiftDays };
}

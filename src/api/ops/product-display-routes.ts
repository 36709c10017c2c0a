import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ProductDisplay, ProductDisplayChange } from '../../db/entities/product-display';
import {
  listProductDisplayChanges,
  listProductDisplays,
  setProductDisplay,
} from '../../db/repositories/product-display';
import { PartnerError } from '../../partners/errors';
import type { XjpClient } from '../../partners/xjp';
import { HttpError, parseOrThrow } from '../http-error';
import { productKeySchema } from '../investor/schemas';
import { operatorOf, requireRole } from './operator-auth';

/** What the display-settings routes need. */
export interface ProductDisplayRouteDeps {
  orm: MikroORM;
  xjp: XjpClient;
  logger: Logger;
}

/** How many of the latest changes `GET /ops/products/display` shows. */
const CHANGES_SHOWN = 100;

const displayBodySchema = z.strictObject({ hot: z.boolean(), hidden: z.boolean() });

function displayView(display: ProductDisplay) {
  return {
    productId: display.productId,
    hot: display.hot,
    hidden: display.hidden,
    updatedBy: display.updatedBy,
    updatedAt: display.updatedAt.toISOString(),
  };
}

function changeView(change: ProductDisplayChange) {
  return {
    productId: change.productId,
    hot: change.hot,
    hidden: change.hidden,
    previousHot: change.previousHot,
    previousHidden: change.previousHidden,
    operator: change.operator,
    changedAt: change.changedAt.toISOString(),
  };
}

/** A setting only for a product XJP knows, so a typo cannot leave a row no product ever reads. */
async function assertKnownToXjp(xjp: XjpClient, productId: string): Promise<void> {
  try {
    await xjp.getProduct({ productId });
  } catch (err) {
    if (err instanceof PartnerError && !err.retryable && err.httpStatus === 404)
      throw new HttpError(404, 'PRODUCT_NOT_FOUND', `XJP lists no product ${productId}`);
    if (err instanceof PartnerError)
      throw new HttpError(503, 'PARTNER_UNAVAILABLE', `XJP cannot confirm product ${productId}: ${err.code}`);
    throw err;
  }
}

/**
 * `/ops/products`: the platform's display settings of XJP products for the home page. Any
 * operator reads them with the latest changes; the `operator` role sets them (audited like every
 * /ops action, and each change kept in the product_display_change trail).
 */
export function productDisplayRoutes({ orm, xjp, logger }: ProductDisplayRouteDeps): Router {
  const router = Router();

  router.get('/products/display', async (_req, res) => {
    const em = orm.em.fork();
    const [displays, changes] = await Promise.all([
      listProductDisplays(em),
      listProductDisplayChanges(em, CHANGES_SHOWN),
    ]);
    res.json({ items: displays.map(displayView), changes: changes.map(changeView) });
  });

  router.put('/products/:productId/display', requireRole('operator'), async (req, res) => {
    const productId = parseOrThrow(productKeySchema, req.params.productId, 'path.productId');
    const { hot, hidden } = parseOrThrow(displayBodySchema, req.body ?? {}, 'body');
    await assertKnownToXjp(xjp, productId);
    const operator = operatorOf(res);
    const { display, changed } = await setProductDisplay(orm.em.fork(), {
      productId,
      hot,
      hidden,
      operator,
      at: new Date(),
    });
    logger.info({ productId, operator, hot, hidden, changed }, 'operator set a product’s display settings');
    res.json({ ...displayView(display), changed });
  });

  return router;
}

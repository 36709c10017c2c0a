import { Router } from 'express';
import { PartnerError } from '../../partners/errors';
import type { XjpClient, XjpProduct } from '../../partners/xjp';
import { HttpError, parseOrThrow } from '../http-error';
import { productView } from './product-view';
import { productKeySchema, productListQuerySchema, type ProductPageView, type ProductView } from './schemas';
import { TtlCache } from './ttl-cache';

/**
 * The catalogue is XJP's alone (never stored here); a 30-second cache spares XJP the home-page
 * traffic, at the price of raise progress lagging by up to that long.
 */
export const PRODUCT_CACHE_TTL_MS = 30_000;
const PRODUCT_CACHE_MAX_ENTRIES = 500;

/** What the product routes need. */
export interface ProductRouteDeps {
  xjp: XjpClient;
  /** Milliseconds clock for the cache; tests may pin it. */
  nowMs?: () => number;
}

function isNotFound(err: unknown): boolean {
  return err instanceof PartnerError && !err.retryable && err.httpStatus === 404;
}

/** XJP trouble as the platform should see it: 503 at once (the client's own timeout bounds the wait). */
function unavailable(err: unknown): never {
  if (err instanceof PartnerError) {
    throw new HttpError(
      503,
      'PARTNER_UNAVAILABLE',
      `the product catalogue is unavailable: XJP ${err.code}; try again shortly`,
    );
  }
  throw err;
}

/** `/v1/products`: the XJP catalogue, paged, and one product by id or code. */
export function productRoutes({ xjp, nowMs }: ProductRouteDeps): Router {
  const router = Router();
  const pages = new TtlCache<ProductPageView>(PRODUCT_CACHE_TTL_MS, PRODUCT_CACHE_MAX_ENTRIES, nowMs);
  const products = new TtlCache<ProductView | null>(PRODUCT_CACHE_TTL_MS, PRODUCT_CACHE_MAX_ENTRIES, nowMs);

  // XJP looks products up by id or by code, never "either": try the id, then the code.
  async function findProduct(key: string): Promise<XjpProduct | null> {
    try {
      return await xjp.getProduct({ productId: key });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    try {
      return await xjp.getProduct({ productCode: key });
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  router.get('/', async (req, res) => {
    const { page, size } = parseOrThrow(productListQuerySchema, req.query, 'query');
    const view = await pages
      .get(`${page}/${size}`, async () => {
        const answer = await xjp.listProducts({ page, size });
        return { page: answer.page, size: answer.size, total: answer.total, items: answer.items.map(productView) };
      })
      .catch(unavailable);
    res.json(view);
  });

  router.get('/:idOrCode', async (req, res) => {
    const key = parseOrThrow(productKeySchema, req.params.idOrCode, 'path.idOrCode');
    const view = await products
      .get(key, async () => {
        const product = await findProduct(key);
        return product === null ? null : productView(product);
      })
      .catch(unavailable);
    if (view === null) throw new HttpError(404, 'PRODUCT_NOT_FOUND', `no product with id or code ${key}`);
    res.json(view);
  });

  return router;
}

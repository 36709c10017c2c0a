import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import { listProductDisplays } from '../../db/repositories/product-display';
import { PartnerError } from '../../partners/errors';
import type { XjpClient, XjpProduct } from '../../partners/xjp';
import { HttpError, parseOrThrow } from '../http-error';
import { productView } from './product-view';
import {
  type HomeProductsView,
  productKeySchema,
  productListQuerySchema,
  type ProductPageView,
  type ProductView,
} from './schemas';
import { TtlCache } from './ttl-cache';

/**
 * The catalogue is XJP's alone (never stored here); a 30-second cache spares XJP the home-page
 * traffic, at the price of raise progress lagging by up to that long.
 */
export const PRODUCT_CACHE_TTL_MS = 30_000;
const PRODUCT_CACHE_MAX_ENTRIES = 500;

/** What the product routes need. */
export interface ProductRouteDeps {
  /** The platform's display settings (hot, hidden) of the home page. */
  orm: MikroORM;
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

/**
 * The home page: XJP's home-page products (its query flag) merged with the platform's display
 * settings, read fresh on every call so an operator's change shows at once; hidden products are
 * left out, hot ones come first, otherwise in XJP's order.
 */
async function homeProducts(orm: MikroORM, fromXjp: ProductView[]): Promise<HomeProductsView> {
  const settings = new Map((await listProductDisplays(orm.em.fork())).map((d) => [d.productId, d]));
  const shown = fromXjp
    .filter((product) => settings.get(product.productId)?.hidden !== true)
    .map((product) => ({ ...product, hot: settings.get(product.productId)?.hot === true }));
  return { items: [...shown.filter((p) => p.hot), ...shown.filter((p) => !p.hot)] };
}

/** `/v1/products`: the XJP catalogue, paged, the home page's products, and one product by id or code. */
export function productRoutes({ orm, xjp, nowMs }: ProductRouteDeps): Router {
  const router = Router();
  const home = new TtlCache<ProductView[]>(PRODUCT_CACHE_TTL_MS, 1, nowMs);
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

  // Before `/:idOrCode`, which would take "home" for a product key.
  router.get('/home', async (_req, res) => {
    const fromXjp = await home
      .get('home', async () => (await xjp.listHomeProducts()).map(productView))
      .catch(unavailable);
    res.json(await homeProducts(orm, fromXjp));
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

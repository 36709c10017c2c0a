import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import type { PiiCipher } from '../../db/pii-cipher';
import type { XjpClient } from '../../partners/xjp';
import type { MemberIdentity } from '../member-identity';
import { openApiDocument } from '../openapi';
import { memberRoutes } from './member-routes';
import { memberOrderRoutes } from './order-routes';
import { productRoutes } from './product-routes';

/** What the investor centre needs. */
export interface InvestorRouteDeps {
  orm: MikroORM;
  xjp: XjpClient;
  /** The member token checks. */
  member: MemberIdentity;
  /** The clock for "today"; tests may set it. */
  now: () => Date;
  /** Decrypts the investor's name and ID number for the agreement and statements. */
  pii: PiiCipher;
}

/**
 * The investor centre under `/v1`: products, holdings, income, statements, contracts and the OpenAPI document.
 * Mount before the purchase routes: it checks the member in front of every `/purchases` route.
 */
export function investorRoutes(deps: InvestorRouteDeps): Router {
  const router = Router();
  router.use('/products', productRoutes({ orm: deps.orm, xjp: deps.xjp, nowMs: () => deps.now().getTime() }));
  router.use('/members', memberRoutes(deps));
  router.use('/purchases', memberOrderRoutes(deps));
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  return router;
}

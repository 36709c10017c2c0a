import type { MikroORM } from '@mikro-orm/postgresql';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { PurchaseOrder } from '../../db/entities/purchase-order';
import type { PiiCipher } from '../../db/pii-cipher';
import { findOrderByNo } from '../../db/repositories/orders';
import { HttpError, parseOrThrow } from '../http-error';
import { optionalMemberIdentity, requireMemberIdentity, requiredMemberId, signedMemberId } from '../member-identity';
import { orderNoSchema } from '../purchase-schemas';
import { contractView } from './contract-view';
import { agreementDocument } from './documents/agreement';
import { sendDocument } from './documents/respond';

/** What the member-scoped order routes need. */
export interface OrderRouteDeps {
  orm: MikroORM;
  memberSigningSecret: string | undefined;
  now: () => Date;
  /** Decrypts the investor's name and ID number for the agreement. */
  pii: PiiCipher;
}

/** The order if it belongs to `memberId`; another member's order is 404, exactly like a missing one. */
async function memberOrder(orm: MikroORM, rawOrderNo: unknown, memberId: string): Promise<PurchaseOrder> {
  const orderNo = parseOrThrow(orderNoSchema, rawOrderNo, 'path.orderNo');
  const order = await findOrderByNo(orm.em.fork(), orderNo);
  if (order === null || order.memberId !== memberId) throw new HttpError(404, 'ORDER_NOT_FOUND', `no order ${orderNo}`);
  return order;
}

/**
 * Member-scoped routes under `/v1/purchases`, mounted before the purchase routes: the contract,
 * and an ownership check in front of `GET /:orderNo`, cancel and withdraw (identity optional there,
 * so callers that predate member identities keep working; when presented it must own the order, else 404).
 */
export function memberOrderRoutes({ orm, memberSigningSecret, now, pii }: OrderRouteDeps): Router {
  const router = Router();
  const identity = { secret: memberSigningSecret, now };

  router.get('/:orderNo/contract', requireMemberIdentity(identity), async (req, res) => {
    const contract = contractView(await memberOrder(orm, req.params.orderNo, requiredMemberId(req)), pii);
    await sendDocument(req, res, { json: contract, document: (lang) => agreementDocument(contract, lang), fileName: contract.contractNo });
  });

  // Reading, cancelling and withdrawing an order: a presented identity must own it.
  router.get('/:orderNo', optionalMemberIdentity(identity), ownerIfSigned);
  router.post(['/:orderNo/cancel', '/:orderNo/withdraw'], optionalMemberIdentity(identity), ownerIfSigned);

  async function ownerIfSigned(req: Request<{ orderNo: string }>, _res: Response, next: NextFunction): Promise<void> {
    const memberId = signedMemberId(req);
    if (memberId !== undefined) await memberOrder(orm, req.params.orderNo, memberId);
    next();
  }

  return router;
}

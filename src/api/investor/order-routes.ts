import type { MikroORM } from '@mikro-orm/postgresql';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { PurchaseOrder } from '../../db/entities/purchase-order';
import type { PiiCipher } from '../../db/pii-cipher';
import { findOrderByNo } from '../../db/repositories/orders';
import { HttpError, parseOrThrow } from '../http-error';
import { type MemberIdentity, requiredMemberId } from '../member-identity';
import { orderNoSchema } from '../purchase-schemas';
import { contractView } from './contract-view';
import { agreementDocument } from './documents/agreement';
import { sendDocument } from './documents/respond';

/** What the member-scoped order routes need. */
export interface OrderRouteDeps {
  orm: MikroORM;
  member: MemberIdentity;
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
 * Body `memberId` of a purchase must be the token's member. Another member answers 404 like the
 * other member-scoped routes, so the API never confirms that a member id is real. A body without a
 * string `memberId` is left to the purchase route's validation (400).
 */
function buyingForSelf(req: Request, _res: Response, next: NextFunction): void {
  const body: unknown = req.body;
  const claimed = typeof body === 'object' && body !== null && 'memberId' in body ? body.memberId : undefined;
  if (typeof claimed === 'string' && claimed !== requiredMemberId(req))
    throw new HttpError(404, 'MEMBER_NOT_FOUND', `no member ${claimed}`);
  next();
}

/**
 * Member identity in front of every member-scoped route under `/v1/purchases`, mounted before the
 * purchase routes (so it holds however they start workflows): buying (a one-time token for the
 * body's member), reading, cancelling, withdrawing, redeeming early and choosing the maturity instruction (the token's member must own
 * the order, else 404), and the contract.
 */
export function memberOrderRoutes({ orm, member, pii }: OrderRouteDeps): Router {
  const router = Router();

  router.post('/', member.mutation, buyingForSelf);

  router.get('/:orderNo/contract', member.read, async (req, res) => {
    const contract = contractView(await memberOrder(orm, req.params.orderNo, requiredMemberId(req)), pii);
    await sendDocument(req, res, {
      json: contract,
      document: (lang) => agreementDocument(contract, lang),
      fileName: contract.contractNo,
    });
  });

  router.get('/:orderNo', member.read, ownOrder);
  router.post(
    ['/:orderNo/cancel', '/:orderNo/withdraw', '/:orderNo/early-redemption/quote', '/:orderNo/early-redemption'],
    member.mutation,
    ownOrder,
  );
  router.put('/:orderNo/maturity-instruction', member.mutation, ownOrder);

  async function ownOrder(req: Request<{ orderNo: string }>, _res: Response, next: NextFunction): Promise<void> {
    await memberOrder(orm, req.params.orderNo, requiredMemberId(req));
    next();
  }

  return router;
}

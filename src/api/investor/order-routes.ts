import type { MikroORM } from '@mikro-orm/postgresql';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { PurchaseOrder } from '../../db/entities/purchase-order';
import { findOrderByNo } from '../../db/repositories/orders';
import { HttpError, parseOrThrow } from '../http-error';
import { optionalMemberIdentity, requireMemberIdentity, requiredMemberId, signedMemberId } from '../member-identity';
import { orderNoSchema } from '../purchase-schemas';
import { contractHtml, contractPdf } from './contract-render';
import { contractView } from './contract-view';
import { contractQuerySchema } from './schemas';

/** What the member-scoped order routes need. */
export interface OrderRouteDeps {
  orm: MikroORM;
  memberSigningSecret: string | undefined;
  now: () => Date;
}

/** The order if it belongs to `memberId`; another member's order is 404, exactly like a missing one. */
async function memberOrder(orm: MikroORM, rawOrderNo: unknown, memberId: string): Promise<PurchaseOrder> {
  const orderNo = parseOrThrow(orderNoSchema, rawOrderNo, 'path.orderNo');
  const order = await findOrderByNo(orm.em.fork(), orderNo);
  if (order === null || order.memberId !== memberId) throw new HttpError(404, 'ORDER_NOT_FOUND', `no order ${orderNo}`);
  return order;
}

function contractFormat(req: Request): 'json' | 'html' | 'pdf' {
  const { format } = parseOrThrow(contractQuerySchema, req.query, 'query');
  if (format !== undefined) return format;
  const accepted = req.accepts(['application/json', 'text/html', 'application/pdf']);
  if (accepted === 'text/html') return 'html';
  if (accepted === 'application/pdf') return 'pdf';
  return 'json';
}

/**
 * Member-scoped routes under `/v1/purchases`, mounted before the purchase routes: the contract,
 * and an ownership check in front of `GET /:orderNo`, cancel and withdraw (identity optional there,
 * so callers that predate member identities keep working; when presented it must own the order, else 404).
 */
export function memberOrderRoutes({ orm, memberSigningSecret, now }: OrderRouteDeps): Router {
  const router = Router();
  const identity = { secret: memberSigningSecret, now };

  router.get('/:orderNo/contract', requireMemberIdentity(identity), async (req, res) => {
    const contract = contractView(await memberOrder(orm, req.params.orderNo, requiredMemberId(req)));
    const format = contractFormat(req);
    res.vary('Accept');
    if (format === 'html') {
      res.type('html').send(contractHtml(contract));
    } else if (format === 'pdf') {
      const pdf = await contractPdf(contract);
      res.type('application/pdf').setHeader('content-disposition', `inline; filename="${contract.contractNo}.pdf"`);
      res.send(pdf);
    } else {
      res.json(contract);
    }
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

import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import { findDemandHolding, listDemandIncome } from '../../db/repositories/demand';
import { findUserAccount } from '../../db/repositories/user-accounts';
import { addDays } from '../../domain/calendar';
import { PartnerError } from '../../partners/errors';
import type { XjpClient, XjpDemandProduct } from '../../partners/xjp';
import { demandWorkflowId } from '../../../workflows/demand/contract';
import { HttpError, parseOrThrow } from '../http-error';
import { type MemberIdentity, requiredMemberId } from '../member-identity';
import { idempotencyKeySchema } from '../purchase-schemas';
import { demandProductCodeSchema, demandRedeemSchema, demandSubscribeSchema } from './demand-schemas';
import { demandRequestId, type DemandWorkflows } from './demand-workflows';

/** What the demand routes need. */
export interface DemandRouteDeps {
  orm: MikroORM;
  xjp: XjpClient;
  member: MemberIdentity;
  workflows: DemandWorkflows;
}

/** The daily series a holding shows by default: the last 30 posted days. */
const SERIES_DAYS = 30;

async function demandProduct(xjp: XjpClient, productCode: string): Promise<XjpDemandProduct> {
  try {
    return await xjp.demand.getProduct({ productCode });
  } catch (err) {
    if (err instanceof PartnerError && err.code === 'PRODUCT_NOT_FOUND')
      throw new HttpError(404, 'PRODUCT_NOT_FOUND', `no demand product ${productCode}`);
    throw err;
  }
}

/** `/v1/demand/…`: the member's demand holdings (活期): buy, redeem (fast or standard), the holding and its income. */
export function demandRoutes({ orm, xjp, member, workflows }: DemandRouteDeps): Router {
  const router = Router();

  router.post('/subscriptions', member.mutation, async (req, res) => {
    const memberId = requiredMemberId(req);
    const key = parseOrThrow(idempotencyKeySchema, req.header('idempotency-key'), 'header.Idempotency-Key');
    const { productCode, amountFen } = parseOrThrow(demandSubscribeSchema, req.body, 'body');
    const account = await findUserAccount(orm.em.fork(), memberId);
    if (account === null)
      throw new HttpError(
        409,
        'DEMAND_NO_ACCOUNT',
        'the member has no XJP account yet: it opens with a first purchase',
      );
    const product = await demandProduct(xjp, productCode);
    const answer = await workflows.subscribe(
      {
        memberId,
        productCode,
        accountNo: account.accountId,
        terms: {
          minAmountFen: product.minAmountFen,
          holdingCapFen: product.holdingCapFen,
          fastRedemptionDailyLimitFen: product.fastRedemptionDailyLimitFen,
        },
      },
      { subscriptionId: demandRequestId('hqs', memberId, key), amountFen },
    );
    res.status(201).json(answer);
  });

  router.post('/redemptions', member.mutation, async (req, res) => {
    const memberId = requiredMemberId(req);
    const key = parseOrThrow(idempotencyKeySchema, req.header('idempotency-key'), 'header.Idempotency-Key');
    const { productCode, amountFen, kind } = parseOrThrow(demandRedeemSchema, req.body, 'body');
    const answer = await workflows.redeem(memberId, productCode, {
      redemptionId: demandRequestId('hqr', memberId, key),
      amountFen,
      kind,
    });
    res.status(201).json(answer);
  });

  router.get('/holdings/:productCode', member.read, async (req, res) => {
    const memberId = requiredMemberId(req);
    const productCode = parseOrThrow(demandProductCodeSchema, req.params.productCode, 'path.productCode');
    const id = demandWorkflowId(memberId, productCode);
    const [row, live] = await Promise.all([
      findDemandHolding(orm.em.fork(), id),
      workflows.holding(memberId, productCode),
    ]);
    if (row === undefined) throw new HttpError(404, 'HOLDING_NOT_FOUND', `no holding of ${productCode}`);
    const last = row.lastIncomeDate;
    const series =
      last === null
        ? []
        : await listDemandIncome(orm.em.fork(), id, { from: addDays(last, 1 - SERIES_DAYS), to: last });
    const latest = series.at(-1);
    res.json({
      productCode,
      unitsFen: live?.unitsFen ?? row.unitsFen,
      availableFen: live?.availableFen ?? 0,
      // The latest posted day: a day's income is known once XJP publishes its figure after the day.
      todayIncome: latest === undefined ? null : { date: latest.date, incomeFen: latest.incomeFen },
      cumulativeIncomeFen: row.cumulativeIncomeFen,
      sevenDayYield: latest?.sevenDayYield ?? null,
      incomePer10kFen: latest?.incomePer10kFen ?? null,
      pendingSubscriptions: live?.pendingSubscriptions ?? [],
      pendingRedemptions: live?.pendingRedemptions ?? [],
      awaitingPayment: live?.awaitingPayment ?? [],
      series,
    });
  });

  return router;
}

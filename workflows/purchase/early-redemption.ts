/**
 * Early redemption (违约赎回) of an accruing order: the investor asks for a quote, then confirms it
 * while it is valid; the run then stops waiting for maturity, redeems at XJP as of the request day,
 * books the ledger's correction and pays out (docs/domain.md#early-redemption-and-the-service-fee).
 *
 * One path only: the validators refuse once maturity has come (workflow time at or past the
 * maturity instant, whether the accrual timer fires then or at the next business day) or the order
 * has left ACCRUING, and a confirmed request cancels the accrual stage before anything else
 * happens, so maturity and an early redemption can never both pay.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  setHandler,
} from '@temporalio/workflow';
import { addDays, shanghaiDate, shanghaiMidnight } from '../../src/domain/calendar';
import { earlyRedemptionFigures, earlyRedemptionRefusal } from '../../src/domain/redemption-terms';
import { parseAnnualRate } from '../../src/domain/rate';
import { ledger, redemption } from './activity-options';
import {
  type AccruingOrder,
  type EarlyRedemptionQuote,
  earlyRedemptionQuoteUpdate,
  earlyRedemptionUpdate,
  PARTNER_REFUSED,
  QUOTE_EXPIRED,
  QUOTE_UNKNOWN,
  WRONG_STATE,
} from './contract';
import { ledgerTerms } from './accrual';
import type { PurchaseRun } from './run';

/** How long a quote may be confirmed: short, since the figures are the request day's. */
const QUOTE_VALIDITY_MS = 5 * 60 * 1000;

/** How the accrual stage ended: at maturity with the ledger's interest, or redeemed early with its figures booked. */
export type AccrualEnding =
  | { kind: 'MATURITY'; interestFen: number }
  | { kind: 'EARLY'; interestFen: number; serviceFeeFen: number; penaltyFen: number };

/** XJP's answer to a confirmed request, as the Update handler returns it. */
type Answer = { kind: 'SETTLED' } | { kind: 'REFUSED'; message: string };

/** The run's early-redemption desk: the two Updates and the race between maturity and a confirmed request. */
export class EarlyRedemptionDesk {
  private accruing?: AccruingOrder;
  private readonly quotes = new Map<string, EarlyRedemptionQuote>();
  private requested?: EarlyRedemptionQuote;
  private answer?: Answer;

  constructor(private readonly run: PurchaseRun) {
    setHandler(earlyRedemptionQuoteUpdate, () => this.quote(new Date()), {
      validator: () => this.refuseUnlessOpen(new Date()),
    });
    setHandler(
      earlyRedemptionUpdate,
      async ({ quoteId }) => {
        this.requested = this.quotes.get(quoteId);
        await condition(() => this.answer !== undefined);
        const answer = this.answer as Answer;
        this.answer = undefined;
        if (answer.kind === 'REFUSED') throw ApplicationFailure.nonRetryable(answer.message, PARTNER_REFUSED);
        return this.run.state;
      },
      {
        validator: ({ quoteId }) => {
          const now = new Date();
          this.refuseUnlessOpen(now);
          const quote = this.quotes.get(quoteId);
          if (quote === undefined) this.refuse(QUOTE_UNKNOWN, `no quote ${quoteId} for this order`);
          else if (now.getTime() > Date.parse(quote.validUntil))
            this.refuse(QUOTE_EXPIRED, `quote ${quoteId} was valid until ${quote.validUntil}: ask for a new one`);
        },
      },
    );
  }

  /**
   * Runs the accrual stage (`accrue`: sleep to maturity, settle the ledger) unless a confirmed early
   * redemption comes first: then the stage is cancelled and the order is redeemed early. A request
   * XJP refuses is answered with XJP's code and the stage starts again (it sleeps the time left).
   */
  async accrueUnlessRedeemed(accruing: AccruingOrder, accrue: () => Promise<number>): Promise<AccrualEnding> {
    this.accruing = accruing;
    for (;;) {
      const scope = new CancellationScope();
      const maturity = scope.run(accrue).then(
        (interestFen): AccrualEnding => ({ kind: 'MATURITY', interestFen }),
        (err: unknown) => {
          if (isCancellation(err) && this.requested !== undefined) return undefined;
          throw err;
        },
      );
      const requested = condition(() => this.requested !== undefined).then(() => undefined);
      const first = await Promise.race([maturity, requested]);
      if (first !== undefined) return first;
      scope.cancel();
      await maturity;
      const ending = await this.redeemEarly(accruing, this.requested as EarlyRedemptionQuote);
      if (ending !== undefined) return ending;
    }
  }

  /** Redeems at XJP as quoted, then books it; undefined (the request answered with XJP's refusal) when XJP refuses. */
  private async redeemEarly(accruing: AccruingOrder, quote: EarlyRedemptionQuote): Promise<AccrualEnding | undefined> {
    const { run } = this;
    const { orderNo } = run.input;
    try {
      await redemption.redeemEarlyAtXjp({
        orderNo,
        xjpOrderNo: accruing.xjpOrderNo,
        redemptionDate: quote.redemptionDate,
      });
    } catch (err) {
      const refusal = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
      if (refusal?.type === undefined || refusal.type === null) throw err;
      this.answer = {
        kind: 'REFUSED',
        message: `XJP refused the early redemption (${refusal.type}): ${refusal.message}`,
      };
      this.requested = undefined;
      return undefined;
    }
    const { accrual } = accruing;
    const figures = {
      redemptionDate: quote.redemptionDate,
      daysHeld: quote.daysHeld,
      interestKeptFen: quote.interestKeptFen,
      penaltyFen: quote.penaltyFen,
      principalFeeFen: quote.principalFeeFen,
      serviceFeeFen: quote.serviceFeeFen,
      payoutFen: quote.payoutFen,
    };
    await run.moveTo('MATURED', 'EARLY_REDEMPTION', 'INVESTOR', {
      actorRef: run.input.memberId,
      detail: { quoteId: quote.quoteId, ...figures },
    });
    const settled = await ledger.settleEarlyRedemption({
      orderNo,
      terms: ledgerTerms(run, accrual),
      redemptionDate: quote.redemptionDate,
      interestKeptFen: quote.interestKeptFen,
      principalFeeFen: quote.principalFeeFen,
      serviceFeeFen: quote.serviceFeeFen,
    });
    const { quoteId: _quoteId, orderNo: _orderNo, penaltyKind: _kind, validUntil: _until, ...paid } = quote;
    Object.assign(run.state, {
      accruedInterestFen: settled.ledgerInterestFen,
      serviceFeeFen: quote.serviceFeeFen,
      earlyRedemption: paid,
    });
    this.answer = { kind: 'SETTLED' };
    return {
      kind: 'EARLY',
      interestFen: settled.ledgerInterestFen,
      serviceFeeFen: quote.serviceFeeFen,
      penaltyFen: quote.principalFeeFen,
    };
  }

  /** Quotes redeeming today (Shanghai): valid for a few minutes, never past the day's end nor maturity. */
  private quote(now: Date): EarlyRedemptionQuote {
    const { input, state } = this.run;
    const accrual = (this.accruing as AccruingOrder).accrual;
    const { terms } = input.product;
    const early = terms.redemption?.earlyRedemption;
    if (early === undefined) throw ApplicationFailure.nonRetryable('no early-redemption terms', WRONG_STATE);
    const redemptionDate = shanghaiDate(now);
    const figures = earlyRedemptionFigures(
      { ...ledgerTerms(this.run, accrual), annualRate: parseAnnualRate(terms.annualRate) },
      { ...terms.redemption, earlyRedemption: early },
      redemptionDate,
    );
    const validUntil = Math.min(
      now.getTime() + QUOTE_VALIDITY_MS,
      shanghaiMidnight(addDays(redemptionDate, 1)).getTime() - 1,
    );
    const quote: EarlyRedemptionQuote = {
      quoteId: `${state.orderNo}Q${String(this.quotes.size + 1).padStart(3, '0')}`,
      orderNo: state.orderNo,
      penaltyKind: early.penalty.kind,
      validUntil: new Date(validUntil).toISOString(),
      ...figures,
    };
    this.quotes.set(quote.quoteId, quote);
    return quote;
  }

  /**
   * Refuses unless the order may be redeemed early now: ACCRUING with no request in hand, before the
   * maturity instant, and the product's terms allow it today (offered, lock-in passed).
   */
  private refuseUnlessOpen(now: Date): void {
    const { state, input } = this.run;
    const accrual = this.accruing?.accrual;
    if (
      accrual === undefined ||
      state.status !== 'ACCRUING' ||
      this.requested !== undefined ||
      now.getTime() >= shanghaiMidnight(accrual.maturityDate).getTime()
    )
      this.refuse(
        WRONG_STATE,
        `order ${input.orderNo} is ${state.status}: only an order accruing before maturity can be redeemed early`,
      );
    const refusal = earlyRedemptionRefusal(input.product.terms.redemption?.earlyRedemption, accrual, shanghaiDate(now));
    if (refusal === 'EARLY_REDEMPTION_NOT_ALLOWED')
      this.refuse(refusal, `product ${input.product.terms.productCode} is held to maturity`);
    if (refusal === 'IN_LOCK_IN') {
      const lockIn = input.product.terms.redemption?.earlyRedemption?.lockInDays ?? 0;
      this.refuse(
        refusal,
        `early redemption opens ${lockIn} days after interest starts on ${accrual.interestStartDate}`,
      );
    }
    if (refusal !== undefined) this.refuse(refusal, `order ${input.orderNo} has reached maturity`);
  }

  private refuse(code: string, message: string): never {
    throw ApplicationFailure.nonRetryable(message, code);
  }
}

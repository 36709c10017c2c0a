/**
 * One purchase run's state, in one place: the input it started with, the live view the
 * `purchaseState` query serves, and what partners and people have sent it by signal. The steps
 * read it and change it only through `moveTo` and `waitFor`.
 */
import {
  ApplicationFailure,
  condition,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { TransitionRequest } from '../../activities/purchase/order-activities';
import { assertTransition, type OrderStatus } from '../../src/domain/order-status';
import type { PayoutResult } from '../payout/contract';
import { ledger } from './activity-options';
import {
  type Awaiting,
  cancelUpdate,
  interestDecisionUpdate,
  type MaturityInstruction,
  maturityInstructionUpdate,
  type MismatchDecision,
  type PaymentDecision,
  paymentDecisionUpdate,
  paymentQueryUpdate,
  type PaymentNotice,
  paymentNotifiedSignal,
  type AccruingOrder,
  type PurchaseInput,
  type PurchaseState,
  purchaseStateQuery,
  searchAttributes,
  subscriptionOutcomeUpdate,
  withdrawUpdate,
  WRONG_STATE,
} from './contract';

/** What partners and people have asked of the run; each is set once (a payment claim XJP did not confirm is dropped). */
export interface PurchaseInbox {
  /** The first payment notification wins; the API's inbox already drops duplicates, this guards the rest. */
  payment?: PaymentNotice;
  cancelRequested: boolean;
  withdrawRequested: boolean;
  mismatchDecision?: MismatchDecision;
  paymentDecision?: PaymentDecision;
  /** Finance asked for XJP's payment query now; cleared once it has been asked. */
  paymentQueryRequested: boolean;
}

/** Why a payment waits for finance: figures XJP reports that the order cannot take as they are. */
export type PaymentReviewReason =
  'PAID_AMOUNT_MISMATCH' | 'PAID_BEFORE_SUBSCRIPTION' | 'PAID_IN_FUTURE' | 'DATE_MISMATCH';

/** What the Web UI shows as the run's current details while it waits. */
const AWAITING_DETAILS: Readonly<Record<Awaiting, string>> = {
  PAYMENT: 'Waiting for the investor to pay at the LianLian cashier (XJP notifies us; queried when the window closes).',
  OPERATOR_REVIEW:
    'Held for an operator: the reason is the XjpParkReason search attribute (GET /ops/orders/<orderNo>).',
  WITHDRAWAL: 'Matured and redeemed: waiting for the investor to withdraw (POST /v1/purchases/<orderNo>/withdraw).',
  PAYOUT:
    'Paying out: the child workflow payout-<orderNo> moves the order from here (its payoutState query says what it waits for).',
  NOTHING: 'Working: nothing to wait for from a person or partner.',
};

/** The statuses an order may still change its maturity instruction in: not yet matured nor ended. */
const BEFORE_MATURITY: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['CREATED', 'SUBSCRIBED', 'PAID', 'ACCRUING']);

/** What maturity does when the investor said nothing. */
export const PAY_OUT: MaturityInstruction = { kind: 'PAYOUT' };

/** Who moved the order, for the audit trail. */
export type Actor = TransitionRequest['actor'];

/** What a status change may carry besides its target, cause and actor. */
export type TransitionExtra = Omit<TransitionRequest, 'orderNo' | 'to' | 'cause' | 'actor'>;

/** A purchase run: its input, its live state and its inbox, with the signal and query handlers bound to them. */
export class PurchaseRun {
  readonly state: PurchaseState;
  readonly inbox: PurchaseInbox = { cancelRequested: false, withdrawRequested: false, paymentQueryRequested: false };
  /** The payment held for finance arrived short: accepting it would later pay out money that never came in. */
  shortPaymentHeld = false;

  constructor(
    readonly input: PurchaseInput,
    accruing?: AccruingOrder,
  ) {
    this.state = initialState(input, accruing);
    setHandler(purchaseStateQuery, () => this.state);
    setHandler(paymentNotifiedSignal, (notice) => void (this.inbox.payment ??= notice));
    this.registerRequests();
  }

  /**
   * The Updates people send. Each validator reads the live state only (validators must not change
   * it), so a refused request leaves no trace in history; each handler records the request, then
   * waits until the run has acted on it and answers with the state it led to.
   */
  private registerRequests(): void {
    const { state, inbox } = this;
    setHandler(subscriptionOutcomeUpdate, async () => {
      await condition(() => state.status !== 'CREATED' || state.awaiting === 'OPERATOR_REVIEW');
      return state;
    });
    setHandler(
      cancelUpdate,
      async () => {
        inbox.cancelRequested = true;
        await condition(() => state.status !== 'SUBSCRIBED');
        return state;
      },
      {
        validator: () =>
          this.require(
            state.status === 'SUBSCRIBED' && !inbox.cancelRequested,
            'only an unpaid SUBSCRIBED order can be cancelled',
          ),
      },
    );
    setHandler(
      paymentQueryUpdate,
      async () => {
        inbox.paymentQueryRequested = true;
        // Answered once XJP has: still waiting, PAID, or held for finance's decision.
        await condition(() => !inbox.paymentQueryRequested || state.awaiting === 'OPERATOR_REVIEW');
        return state;
      },
      {
        validator: () =>
          this.require(
            state.status === 'SUBSCRIBED' && state.awaiting === 'PAYMENT' && !inbox.paymentQueryRequested,
            "XJP's payment query is asked on request only while the order waits for its payment",
          ),
      },
    );
    setHandler(
      withdrawUpdate,
      async () => {
        inbox.withdrawRequested = true;
        // Answered once the payout workflow is under way (awaiting PAYOUT); it may take days to settle.
        await condition(() => state.awaiting !== 'WITHDRAWAL');
        return state;
      },
      {
        validator: () =>
          this.require(
            state.awaiting === 'WITHDRAWAL' && !inbox.withdrawRequested,
            'withdrawal opens at maturity for products paid out on withdrawal',
          ),
      },
    );
    setHandler(
      maturityInstructionUpdate,
      (instruction) => {
        // Read at maturity, after XJP's redemption: until then the latest instruction wins.
        state.maturityInstruction = instruction;
        return state;
      },
      {
        validator: (_instruction: MaturityInstruction) =>
          this.require(
            BEFORE_MATURITY.has(state.status) && state.earlyRedemption === undefined,
            'the maturity instruction can be changed only before maturity',
          ),
      },
    );
    setHandler(
      interestDecisionUpdate,
      async (decision) => {
        inbox.mismatchDecision = decision;
        await condition(() => state.status !== 'CREATED');
        return state;
      },
      {
        validator: (_decision: MismatchDecision) =>
          this.require(
            state.status === 'CREATED' && state.awaiting === 'OPERATOR_REVIEW' && inbox.mismatchDecision === undefined,
            "only an order held because XJP's subscription terms differ from ours takes a decision",
          ),
      },
    );
    setHandler(
      paymentDecisionUpdate,
      async (decision) => {
        inbox.paymentDecision = decision;
        await condition(() => state.awaiting !== 'OPERATOR_REVIEW');
        return state;
      },
      {
        validator: (decision: PaymentDecision) => {
          this.require(
            state.status === 'SUBSCRIBED' &&
              state.awaiting === 'OPERATOR_REVIEW' &&
              inbox.paymentDecision === undefined,
            'only an order whose payment is held for review takes a payment decision',
          );
          this.require(
            !(decision.action === 'ACCEPT_AS_PAID' && this.shortPaymentHeld),
            'a short payment cannot be accepted as paid (the payout would exceed what came in): refuse it, the money goes back',
          );
        },
      },
    );
  }

  /** Refuses a request (in its validator) unless the run is in the state it needs. */
  private require(inState: boolean, why: string): void {
    if (!inState)
      throw ApplicationFailure.nonRetryable(
        `order ${this.input.orderNo} is ${this.state.status} (awaiting ${this.state.awaiting}): ${why}`,
        WRONG_STATE,
      );
  }

  /** Moves the order to `to`: the ledger first (status, event row), then the live state and the search attribute. */
  async moveTo(to: OrderStatus, cause: string, actor: Actor, extra: TransitionExtra = {}): Promise<void> {
    assertTransition(this.state.status, to);
    await ledger.recordTransition({ orderNo: this.input.orderNo, to, cause, actor, ...extra });
    this.state.status = to;
    if (extra.reasonCode !== undefined) this.state.rejectReason = extra.reasonCode;
    upsertSearchAttributes([{ key: searchAttributes.status, value: to }]);
  }

  /** The payout workflow completed the order (it wrote the status and event): the live state follows. */
  completedBy(payout: PayoutResult): void {
    Object.assign(this.state, { status: 'COMPLETED', payoutAttempts: payout.attempts });
    if (payout.outcome === 'PAID') this.state.payoutId = payout.payoutId;
    upsertSearchAttributes([{ key: searchAttributes.status, value: 'COMPLETED' }]);
    this.waitFor('NOTHING');
  }

  /** Holds the run for a person with a reason code, shown in the query, the Web UI and the `XjpParkReason` search attribute. */
  park(reason: string, details: string): void {
    this.waitFor('OPERATOR_REVIEW');
    this.state.reviewReason = reason;
    upsertSearchAttributes([{ key: searchAttributes.parkReason, value: reason }]);
    setCurrentDetails(`Held for finance (${reason}): ${details}`);
  }

  /** The person has decided: the run goes on and the reason is cleared. */
  unpark(): void {
    delete this.state.reviewReason;
    upsertSearchAttributes([{ key: searchAttributes.parkReason, value: null }]);
    this.waitFor('NOTHING');
  }

  /** Says what the run now waits for (query, search attribute, Web UI details), so an operator sees why it is idle. */
  waitFor(awaiting: Awaiting): void {
    if (this.state.awaiting === awaiting) return;
    this.state.awaiting = awaiting;
    upsertSearchAttributes([{ key: searchAttributes.awaiting, value: awaiting }]);
    setCurrentDetails(AWAITING_DETAILS[awaiting]);
  }
}

function initialState(input: PurchaseInput, accruing: AccruingOrder | undefined): PurchaseState {
  return {
    orderNo: input.orderNo,
    status: accruing ? 'ACCRUING' : 'CREATED',
    awaiting: 'NOTHING',
    amountFen: input.amountFen,
    accruedInterestFen: 0,
    payoutAttempts: 0,
    xjpOrderNo: accruing?.xjpOrderNo,
    expectedInterestFen: accruing?.accrual.maturityInterestFen,
    interestStartDate: accruing?.accrual.interestStartDate,
    maturityDate: accruing?.accrual.maturityDate,
    maturityInstruction: input.maturityInstruction ?? PAY_OUT,
    ...(input.reinvestmentOf === undefined ? {} : { previousOrderNo: input.reinvestmentOf.orderNo }),
  };
}

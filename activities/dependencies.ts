import type { MikroORM } from '@mikro-orm/postgresql';
import type { WebhookEndpoint } from '../src/config/webhook-config';
import type { PiiCipher } from '../src/db/pii-cipher';
import type { LianLianClient } from '../src/partners/lianlian';
import type { XjpClient } from '../src/partners/xjp';
import type { ProductSnapshot } from '../src/domain/order-terms';
import type { OrderStatus } from '../src/domain/order-status';

/** What the purchase activities are built from; tests hand in the same kinds of parts, real ones. */
export interface ActivityDependencies {
  orm: MikroORM;
  xjp: XjpClient;
  lianlian: LianLianClient;
  pii: PiiCipher;
  /** Where LianLian posts payout results: our `/notify/lianlian/payout`. */
  payoutNotifyUrl: string;
  /** Where LianLian posts refund results: our `/notify/lianlian/refund`. */
  refundNotifyUrl: string;
  /** Starts purchase runs the API wrote an order for but never started. */
  purchaseStarter: PurchaseStarter;
  /** Where order events are delivered (config WEBHOOK_*); no endpoints: the outbox is marked sent and nothing goes out. */
  webhooks: WebhookSettings;
}

/** The platform's webhook endpoints and how long one delivery may take. */
export interface WebhookSettings {
  endpoints: WebhookEndpoint[];
  timeoutMs: number;
}

/** An order whose run is to be started: what its run is given besides the payment window. */
export interface OrderToStart {
  orderNo: string;
  memberId: string;
  amountFen: number;
  channel: string;
  product: ProductSnapshot;
}

/** What the missing-run sweep needs of Temporal: whether an order has a run, and starting one. */
export interface PurchaseStarter {
  /** True when the order has a run, running or ended. */
  hasRun(orderNo: string): Promise<boolean>;
  /** Starts the order's run with the starter's payment window; false when one already exists (the API's start got there first). */
  start(order: OrderToStart): Promise<boolean>;
  /**
   * Starts (or attaches to) the run of an order bought with a matured order's funds and answers once
   * it is subscribed or refused, as `POST /v1/purchases` does; undefined when that run has already ended.
   */
  startReinvestment(
    order: OrderToStart & { reinvestmentOf: { orderNo: string; xjpOrderNo: string } },
  ): Promise<OrderStatus | undefined>;
}

import type { MikroORM } from '@mikro-orm/postgresql';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ORDER_STATUSES } from '../domain/order-status';

/** Request durations from a fast health probe to a purchase that waits on XJP's subscription. */
const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];

/** The API process's metrics; one registry per app so tests (and two apps in one process) never share counts. */
export interface ApiMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Partner notification deliveries this process received, by partner and outcome. */
  notifications: Counter<'partner' | 'result'>;
}

const countRow = (row: Record<string, unknown>): number => Number(row.count);

/**
 * Builds the registry `/metrics` serves: HTTP durations (observed by the request middleware), orders by
 * state (counted in PostgreSQL at scrape time: orders only exist through the API key, so the scan is
 * bounded by real business), partner notification deliveries (counted in memory as they arrive:
 * anyone can post a notification, so a scrape must not scan what they post), and Node's defaults.
 */
export function createApiMetrics(orm: MikroORM, onCollectError: (err: unknown) => void): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const collectionFailures = new Counter({
    name: 'xjp_metrics_collection_failures_total',
    help: 'Scrapes at which a database-backed metric could not be read (its series are then absent).',
    labelNames: ['metric'],
    registers: [registry],
  });

  /** A gauge whose series are read from PostgreSQL; on a database error it reports nothing rather than stale values. */
  function databaseGauge<L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    sql: string,
    labelsOf: (row: Record<string, unknown>) => Record<L, string>,
  ): void {
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        try {
          const rows = await orm.em.fork().getConnection().execute<Record<string, unknown>[]>(sql);
          for (const row of rows) this.set(labelsOf(row), countRow(row));
        } catch (err) {
          collectionFailures.inc({ metric: name });
          onCollectError(err);
        }
      },
    });
  }

  databaseGauge(
    'xjp_orders',
    'Purchase orders by lifecycle state (every state listed, zero when empty).',
    ['state'],
    `select s.state, count(o.id) as count
       from unnest(array[${ORDER_STATUSES.map((s) => `'${s}'`).join(', ')}]) as s(state)
       left join purchase_order o on o.status = s.state
      group by s.state`,
    (row) => ({ state: String(row.state) }),
  );
  const notifications = new Counter({
    name: 'xjp_partner_notification_deliveries_total',
    help: 'Partner notification deliveries received by this API process, by partner and outcome (ACCEPTED, DUPLICATE, MISMATCH, REJECTED_SIGNATURE, STALE, MALFORMED).',
    labelNames: ['partner', 'result'] as const,
    registers: [registry],
  });

  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_DURATION_BUCKETS,
    registers: [registry],
  });
  return { registry, httpDuration, notifications };
}

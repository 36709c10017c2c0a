import { z } from 'zod';
import { retryScheduleSchema } from '../common/notifier';

const pem = z.string().includes('-----BEGIN', { message: 'must be a PEM block' });
const ms = z.number().int().min(0);

/** How payouts move through their states, in milliseconds of wall time. */
export const payoutTimingSchema = z.object({
  /** Each of WAITING → PROCESSING → final. */
  stepDelayMs: ms.default(2_000),
  /** How long a suspected duplicate waits in CHECK for a confirmation before it is CLOSED. */
  checkHoldMs: ms.default(30 * 60 * 1000),
  /** How long after SUCCESS a `reverse` fault sends the CANCEL. */
  reversalDelayMs: ms.default(60_000),
  /** Same card and amount within this window looks like a duplicate. */
  duplicateWindowMs: ms.default(24 * 60 * 60 * 1000),
});

/** What the LianLian simulator is started with; keys are PEM strings. */
export const lianLianSimulatorOptionsSchema = z.object({
  lianlianPrivateKeyPem: pem,
  xjpPublicKeyPem: pem,
  platformPublicKeyPem: pem,
  /** XJP's merchant id: it creates payments. */
  xjpOidPartner: z.string().min(1).default('201811220000002'),
  /** XJP's name as registered with LianLian: the payee the cashier shows. */
  xjpMerchantName: z.string().min(1).default('小金票（XJP）'),
  /** The platform's merchant id: it applies for payouts. */
  platformOidPartner: z.string().min(1).default('201811220000001'),
  /** How browsers reach the cashier; defaults to the address the simulator listens on. */
  publicBaseUrl: z.url().optional(),
  host: z.string().default('127.0.0.1'),
  /** Where the payments and payouts are kept across restarts (JSON, rewritten atomically); unset keeps them in memory only. */
  stateFile: z.string().min(1).optional(),
  /** LianLian resends up to 30 times, 2 minutes apart. */
  notificationRetry: retryScheduleSchema.default({ attempts: 30, baseDelayMs: 120_000, factor: 1 }),
  notificationTimeoutMs: z.number().int().positive().default(5_000),
  payout: payoutTimingSchema.default({
    stepDelayMs: 2_000,
    checkHoldMs: 30 * 60 * 1000,
    reversalDelayMs: 60_000,
    duplicateWindowMs: 24 * 60 * 60 * 1000,
  }),
});

/** Options as a caller writes them (defaults optional). */
export type LianLianSimulatorOptions = z.input<typeof lianLianSimulatorOptionsSchema>;
/** Options after parsing. */
export type LianLianSimulatorConfig = z.infer<typeof lianLianSimulatorOptionsSchema>;
/** Payout timing after parsing. */
export type PayoutTiming = z.infer<typeof payoutTimingSchema>;

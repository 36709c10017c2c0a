import { z } from 'zod';
import { retryScheduleSchema } from '../common/notifier';

const pem = z.string().includes('-----BEGIN', { message: 'must be a PEM block' });

/** What the XJP simulator is started with; keys are PEM strings. */
export const xjpSimulatorOptionsSchema = z.object({
  /** The platform's partner id at XJP; requests carrying another are refused as unsigned. */
  partnerId: z.string().min(1).default('PLATFORM01'),
  platformPublicKeyPem: pem,
  xjpPrivateKeyPem: pem,
  lianlianPublicKeyPem: pem,
  lianlianBaseUrl: z.url(),
  /** XJP's own merchant id at LianLian, for collecting investors' payments. */
  lianlianOidPartner: z.string().min(1).default('201811220000002'),
  /** The engine's endpoint for XJP payment notifications. */
  engineNotifyUrl: z.url(),
  /** How LianLian reaches this simulator; defaults to the address it listens on. */
  publicBaseUrl: z.url().optional(),
  host: z.string().default('127.0.0.1'),
  /** Where the books are kept across restarts (JSON, rewritten atomically); unset keeps them in memory only. */
  stateFile: z.string().min(1).optional(),
  /** Resent with exponential backoff, as XJP's own notifications are. */
  notificationRetry: retryScheduleSchema.default({ attempts: 10, baseDelayMs: 5_000, factor: 2, maxDelayMs: 600_000 }),
  notificationTimeoutMs: z.number().int().positive().default(5_000),
  lianlianTimeoutMs: z.number().int().positive().default(5_000),
  /** Minutes the cashier gives the investor to pay; the engine's PAYMENT_WINDOW_MINUTES defaults to the same 30. */
  paymentWindowMinutes: z.number().int().positive().default(30),
  /** The platform page the cashier links back to after paying. */
  paymentReturnUrl: z.url().optional(),
});

/** Options as a caller writes them (defaults optional). */
export type XjpSimulatorOptions = z.input<typeof xjpSimulatorOptionsSchema>;
/** Options after parsing. */
export type XjpSimulatorConfig = z.infer<typeof xjpSimulatorOptionsSchema>;

import pino, { type Logger } from 'pino';

/** Fields that may carry personal data or secrets: never written to a log in clear. */
const REDACTED_PATHS = ['idCardNo', 'mobile', 'cardNo', 'bankCardNo', 'email', '*.idCardNo', '*.mobile', '*.cardNo', '*.bankCardNo', '*.email', 'headers["x-api-key"]'];

/** The engine's structured JSON logger; quiet under tests unless LOG_LEVEL says otherwise. */
export function createLogger(name: string): Logger {
  return pino({
    name,
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    redact: { paths: REDACTED_PATHS, censor: '[masked]' },
  });
}

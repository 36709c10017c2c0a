import pino, { type DestinationStream, type Logger } from 'pino';

/** Keys that may carry personal data: never written to a log in clear, at the top or up to two levels down. */
const PII_KEYS = ['idCardNo', 'mobile', 'cardNo', 'bankCardNo', 'email', 'card_no', 'id_no', 'acct_name', 'investorName'];
/** Headers that carry credentials (a member signature replays within its 5-minute window, so it counts). */
const SECRET_HEADERS = ['x-api-key', 'x-operator-key', 'x-member-signature', 'authorization'];

const REDACTED_PATHS = [
  ...PII_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  ...SECRET_HEADERS.flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`]),
];

/** Where log lines go and at which level; tests pass a stream to read the lines they assert on. */
export interface LoggerOptions {
  level?: string;
  destination?: DestinationStream;
}

/** The engine's structured JSON logger; quiet under tests unless LOG_LEVEL says otherwise. */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  const config = {
    name,
    level: options.level ?? process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    redact: { paths: REDACTED_PATHS, censor: '[masked]' },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

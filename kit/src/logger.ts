import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  name: string;
  level?: string;
  /** Defaults to synchronous stdout, so the last lines before a power cut are not lost. */
  destination?: DestinationStream;
}

/** Paths pino redacts in every line (reference/ecosystem.md §4). */
export const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.bootstrapToken',
  '*.credentialSecret',
  '*.privateKey',
];

/** The one root logger of a process; capabilities get `logger.child({ module })`. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

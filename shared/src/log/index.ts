import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Paths pino blanks out wherever they appear: credentials never reach a log line. */
export const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  'token',
  'accessToken',
  'access_token',
  'refresh_token',
  'assertion',
  'clientSecret',
  'client_secret',
  'clientState',
  '*.authorization',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.clientSecret',
  '*.client_secret',
  '*.clientState',
];

/** One structured JSON logger for every WarmPath process; children add tenant and request ids. */
export function createLogger(options: {
  name: string;
  level?: LoggerOptions['level'];
  /** stderr keeps stdout free for what a command prints for a person */
  stderr?: boolean;
}): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: options.name },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination(options.stderr ? 2 : 1),
  );
}

/**
 * For commands whose stdout talks to a person (`npm start`, `npm run sync`): JSON logs on stderr,
 * warnings and errors only unless LOG_LEVEL (already validated by loadConfig) asks for more.
 */
export function createCommandLogger(name: string, env: NodeJS.ProcessEnv = process.env): Logger {
  return createLogger({ name, level: env.LOG_LEVEL || 'warn', stderr: true });
}

import pino from 'pino';

export type Logger = pino.Logger;

// Personal data and credentials never reach the logs, whatever object a call site passes.
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-handoff-signature"]',
  'headers.authorization',
  '*.email',
  '*.phone',
  '*.name',
  '*.body',
  '*.subject',
  '*.text',
  '*.key',
  '*.signingSecret',
  'customer',
  'body',
  'email',
  'phone',
  'text',
];

/** One root logger per process; modules take children (`logger.child({ module })`). */
export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' }, base: { service: 'handoff' } });
}

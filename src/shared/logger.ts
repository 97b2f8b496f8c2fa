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

/**
 * One root logger per process; modules take children (`logger.child({ module })`). `destination`
 * defaults to stdout; tests pass a stream to inspect what would have been logged.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' }, base: { service: 'handoff' } };
  return destination ? pino(options, destination) : pino(options);
}

import type { RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';

declare module 'http' {
  interface IncomingMessage {
    /** The caller's X-Request-Id when it is a sane token, else a fresh UUID; echoed on the response. */
    id: string;
  }
}

const GIVEN_ID = /^[\w-]{1,100}$/;
// Health probes would drown everything else.
const UNLOGGED = new Set(['/healthz', '/readyz']);

/** A helpdesk's customer id may be an email address: erasure URLs are logged without it. */
function redactUrl(url: string): string {
  return url.replace(/^(\/v1\/customers\/[^/?]+\/)[^?]*/, '$1[REDACTED]');
}

/**
 * Request ids and one log line per finished request (`req` id, method and redacted URL, `res` status,
 * `responseTime` in ms), the shape pino-http wrote. No per-request child logger and no serializers
 * run, so a request costs one object and, when info is off, nothing else.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && GIVEN_ID.test(given) ? given : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    if (!UNLOGGED.has(req.url) && logger.isLevelEnabled('info')) {
      const started = performance.now();
      const { method, url } = req;
      res.once('close', () =>
        logger.info(
          { req: { id, method, url: redactUrl(url) }, res: { statusCode: res.statusCode }, responseTime: Math.round(performance.now() - started) },
          res.writableFinished ? 'request completed' : 'request aborted',
        ),
      );
    }
    next();
  };
}

import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Deps } from '../../shared/deps';
import { AppError } from '../../shared/errors/app-error';
import { validSecrets } from './source-secrets';
import { SIGNATURE_TOLERANCE_SECONDS, verifyWebhook, type SignatureRefusal } from './webhook-signature';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set when this exact signed request was already accepted within the signature window. */
    webhookReplay?: boolean;
  }
}

const DETAIL: Record<SignatureRefusal, string> = {
  missing: 'This source signs its webhooks: send X-Handoff-Signature.',
  malformed: 'X-Handoff-Signature must look like t=<unix seconds>,v1=<hex HMAC-SHA256>.',
  stale: `The signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s away from now.`,
  mismatch: 'The signature does not match the body.',
};

export interface VerifyOptions {
  /** Which source the request speaks for; undefined lets the handler refuse it (validation, 403). */
  sourceOf(req: Request): Promise<string | undefined> | string | undefined;
  /**
   * Marks a second arrival of the same signed request (`req.webhookReplay`) so a handler without a
   * natural idempotency key can answer without storing it twice.
   */
  detectReplays?: boolean;
}

/**
 * Verifies `X-Handoff-Signature` over the raw body when the request's source has a signing secret;
 * sources without one are not checked. Runs before validation so an unsigned caller learns nothing
 * about the schema.
 */
export function verifySignature(deps: Deps, options: VerifyOptions): RequestHandler {
  return async (req, res, next) => {
    const source = await options.sourceOf(req);
    if (!source) return next();
    const secrets = await validSecrets(deps, source);
    if (secrets.length === 0) return next();
    const header = req.headers['x-handoff-signature'];
    const refusal = verifyWebhook(typeof header === 'string' ? header : undefined, req.rawBody ?? Buffer.alloc(0), secrets);
    if (refusal) throw new AppError('INVALID_SIGNATURE', DETAIL[refusal]);
    if (options.detectReplays) req.webhookReplay = await claimSignature(deps, res, source, req.originalUrl.split('?')[0], header as string);
    next();
  };
}

/**
 * Remembers an accepted signature for twice the tolerance; a failed request forgets it again so the
 * sender's retry is processed. Redis being down must not stop intake, so then nothing is detected.
 * The signature covers the body but not the path, so the path is part of what is remembered: the same
 * short text ("Any update?") sent to two tickets within a second signs the same and is not a replay.
 */
async function claimSignature(deps: Deps, res: Parameters<RequestHandler>[1], source: string, path: string, header: string): Promise<boolean> {
  const key = `${deps.config.queuePrefix}:webhook-signature:${createHash('sha256').update(`${source}\n${path}\n${header}`).digest('hex')}`;
  try {
    const first = await deps.redis.set(key, '1', 'EX', SIGNATURE_TOLERANCE_SECONDS * 2, 'NX');
    if (first === null) return true;
    res.on('finish', () => {
      if (res.statusCode >= 400) deps.redis.del(key).catch(() => undefined);
    });
  } catch (err) {
    deps.logger.warn({ err: { message: (err as Error).message } }, 'webhook replay check unavailable');
  }
  return false;
}

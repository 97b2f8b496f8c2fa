import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors/app-error';

/**
 * A fixed budget per minute for whatever keyOf names (an API key, a client IP), counted in Redis so every API
 * process shares the budget. If Redis is down the limit falls back to this process's memory
 * rather than failing requests.
 */
export function rateLimit(
  redis: Redis,
  prefix: string,
  perMinute: number,
  keyOf: (req: Parameters<RequestHandler>[0]) => string,
): RequestHandler {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:ratelimit`,
    points: perMinute,
    duration: 60,
    insuranceLimiter: new RateLimiterMemory({ points: perMinute, duration: 60 }),
  });
  return async (req, res, next) => {
    try {
      const r = await limiter.consume(keyOf(req));
      res.setHeader('RateLimit-Limit', String(perMinute));
      res.setHeader('RateLimit-Remaining', String(r.remainingPoints));
    } catch (e) {
      if (e instanceof RateLimiterRes) {
        throw new AppError('RATE_LIMITED', `More than ${perMinute} requests a minute.`, {
          retryAfterSeconds: Math.ceil(e.msBeforeNext / 1000),
        });
      }
      throw e;
    }
    next();
  };
}

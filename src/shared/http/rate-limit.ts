import type { Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors/app-error';
import { microBatcher } from '../micro-batch';

/**
 * Fixed one-minute windows for any number of keys in one round trip: each key is incremented, given
 * its expiry when its window starts, and its count and remaining window are returned in KEYS order.
 */
const CONSUME = `
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  out[#out + 1] = count
  out[#out + 1] = ttl
end
return out`;

const WINDOW_MS = 60_000;
/** Requests whose keys go in one script call: concurrent requests share a round trip and a socket write. */
const MAX_BATCH = 64;
const MAX_IN_FLIGHT = 4;

type Consume = (...args: (string | number)[]) => Promise<number[]>;

interface Limit {
  perMinute: number;
  keyOf(req: Request): string;
  /** Used only while Redis is unreachable: then each process counts on its own rather than failing requests. */
  insurance: RateLimiterMemory;
}

function limit(perMinute: number, keyOf: (req: Request) => string): Limit {
  return { perMinute, keyOf, insurance: new RateLimiterMemory({ points: perMinute, duration: WINDOW_MS / 1000 }) };
}

interface Outcome {
  count: number;
  msLeft: number;
}

export interface RateLimits {
  /** Before authentication: counts unknown callers by address at once, so floods stop before any key lookup. */
  beforeAuth: RequestHandler;
  /** After authentication: the key's budget, and the address's when beforeAuth left it for this call. */
  afterAuth: RequestHandler;
}

/**
 * A budget per client address and a smaller one per API key, counted in Redis so every API process
 * shares them. A caller this process recognised without I/O pays one Redis call for both checks, and
 * requests that arrive together share that call.
 */
export function rateLimits(
  redis: Redis,
  prefix: string,
  budgets: { perIpPerMinute: number; perKeyPerMinute: number },
  ipOf: (req: Request) => string,
  keyOf: (req: Request) => string,
): RateLimits {
  redis.defineCommand('handoffConsumeRateLimits', { lua: CONSUME });
  const consumeScript = (redis as unknown as { handoffConsumeRateLimits: Consume }).handoffConsumeRateLimits.bind(redis);
  const byIp = limit(budgets.perIpPerMinute, ipOf);
  const byKey = limit(budgets.perKeyPerMinute, keyOf);
  const deferredIp = new WeakSet<Request>();
  // The same key twice in one call is counted twice, in order, exactly as two separate calls would.
  const batcher = microBatcher<string[], number[]>({
    maxItems: MAX_BATCH,
    maxInFlight: MAX_IN_FLIGHT,
    async run(requests) {
      const keys = requests.flat();
      const flat = await consumeScript(keys.length, ...keys, WINDOW_MS);
      let at = 0;
      return requests.map((k) => flat.slice(at, (at += 2 * k.length)));
    },
  });

  async function consume(req: Request, limits: Limit[]): Promise<Outcome[]> {
    const keys = limits.map((l) => `${prefix}:ratelimit:${l.keyOf(req)}`);
    try {
      const flat = await batcher.add(keys);
      return limits.map((_, i) => ({ count: flat[2 * i], msLeft: flat[2 * i + 1] }));
    } catch {
      return Promise.all(
        limits.map(async (l) => {
          const r = await l.insurance.consume(l.keyOf(req)).catch((e: unknown) => {
            if (e instanceof RateLimiterRes) return e;
            throw e;
          });
          return { count: r.consumedPoints, msLeft: r.msBeforeNext };
        }),
      );
    }
  }

  function enforce(res: Response, limits: Limit[], outcomes: Outcome[]): void {
    limits.forEach((l, i) => {
      if (outcomes[i].count > l.perMinute) {
        throw new AppError('RATE_LIMITED', `More than ${l.perMinute} requests a minute.`, {
          retryAfterSeconds: Math.ceil(outcomes[i].msLeft / 1000),
        });
      }
    });
    const last = limits.length - 1;
    res.setHeader('RateLimit-Limit', String(limits[last].perMinute));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, limits[last].perMinute - outcomes[last].count)));
  }

  return {
    beforeAuth: async (req, res, next) => {
      if (req.principal) {
        deferredIp.add(req);
        return next();
      }
      enforce(res, [byIp], await consume(req, [byIp]));
      next();
    },
    afterAuth: async (req, res, next) => {
      const limits = deferredIp.has(req) ? [byIp, byKey] : [byKey];
      enforce(res, limits, await consume(req, limits));
      next();
    },
  };
}

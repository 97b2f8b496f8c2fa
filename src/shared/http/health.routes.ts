import { Router } from 'express';
import type { Deps } from '../deps';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

export function healthRouter(deps: Pick<Deps, 'db' | 'redis'>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [postgres, redis] = await Promise.all([
      withTimeout(deps.db.$queryRaw`SELECT 1`, 2_000).then(() => 'up', () => 'down'),
      withTimeout(deps.redis.ping(), 2_000).then(() => 'up', () => 'down'),
    ]);
    const ready = postgres === 'up' && redis === 'up';
    if (!ready) {
      const failed = [postgres === 'down' && 'postgres', redis === 'down' && 'redis'].filter(Boolean).join(' and ');
      res.setHeader('Retry-After', '5');
      res.status(503).type('application/problem+json').send(
        JSON.stringify({
          type: 'https://handoff.dev/problems/dependency-unavailable',
          title: 'Dependency unavailable',
          status: 503,
          detail: `Not ready: ${failed} unavailable.`,
          code: 'DEPENDENCY_UNAVAILABLE',
          checks: { postgres, redis },
        }),
      );
      return;
    }
    res.json({ status: 'ready', checks: { postgres, redis } });
  });
  return router;
}

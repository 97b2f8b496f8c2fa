import crypto from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { Queue } from 'bullmq';
import type { Deps } from '../deps';
import { AppError } from '../errors/app-error';
import { httpDuration, httpRequests, queueJobs, queueScrapeUp, registry } from '../metrics';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children'] as const;
const QUEUE_READ_TIMEOUT_MS = 1_000;

/**
 * Times every request and counts it by route pattern. Requests no route matched share the label
 * `unmatched`, so a scanner probing random paths cannot blow up the series count.
 */
export function httpMetrics(): RequestHandler {
  // prom-client hashes the label object on every call: each label set's children are looked up once.
  const children = new Map<string, { count: { inc(): void }; duration: { observe(seconds: number): void } }>();
  const childrenOf = (method: string, route: string, status: string) => {
    const id = `${method} ${route} ${status}`;
    let found = children.get(id);
    if (!found) {
      const labels = { method, route, status };
      found = { count: httpRequests.labels(labels), duration: httpDuration.labels(labels) };
      children.set(id, found);
    }
    return found;
  };
  return (req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      const { count, duration } = childrenOf(req.method, route, String(res.statusCode));
      count.inc();
      duration.observe((performance.now() - started) / 1000);
    });
    next();
  };
}

/** The BullMQ queues among `deps.queues`, so queues added later are scraped without touching this file. */
export function listQueues(queues: Deps['queues']): Queue[] {
  return Object.values(queues).filter((q): q is Queue => q instanceof Queue);
}

/** Reads queue depths; a Redis outage sets handoff_queue_scrape_up to 0 instead of failing the scrape. */
async function refreshQueueDepths(deps: Pick<Deps, 'queues' | 'redis'>): Promise<void> {
  if (deps.redis.status !== 'ready') {
    queueScrapeUp.set(0);
    return;
  }
  try {
    const counts = await Promise.race([
      Promise.all(listQueues(deps.queues).map(async (q) => ({ name: q.name, counts: await q.getJobCounts(...JOB_STATES) }))),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), QUEUE_READ_TIMEOUT_MS).unref()),
    ]);
    for (const { name, counts: c } of counts) for (const state of JOB_STATES) queueJobs.set({ queue: name, state }, c[state] ?? 0);
    queueScrapeUp.set(1);
  } catch {
    queueScrapeUp.set(0);
  }
}

/**
 * `GET /metrics` in Prometheus text format, outside `/v1` so a scraper needs no API key. When
 * METRICS_TOKEN is set the scraper must send it as a bearer token (Prometheus `authorization`).
 */
export function metricsRouter(deps: Pick<Deps, 'config' | 'queues' | 'redis'>): Router {
  const router = Router();
  const { enabled, token } = deps.config.metrics;
  if (!enabled) return router;
  const expected = token ? crypto.createHash('sha256').update(token).digest() : undefined;
  router.get('/metrics', async (req, res) => {
    if (expected) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      const given = crypto.createHash('sha256').update(match?.[1] ?? '').digest();
      if (!match || !crypto.timingSafeEqual(given, expected)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        throw new AppError('UNAUTHENTICATED', 'Send METRICS_TOKEN as "Authorization: Bearer <token>".');
      }
    }
    await refreshQueueDepths(deps);
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}

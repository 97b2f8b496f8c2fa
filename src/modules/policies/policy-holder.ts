import IORedis, { type Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Logger } from '../../shared/logger';
import type { RoutingPolicy } from '../routing';
import { loadActivePolicy } from './policy.repository';

/** The active routing policy of this process, read from memory on every request. */
export interface PolicyHolder {
  current(): RoutingPolicy;
  /** Re-reads the active version from Postgres now. */
  refresh(): Promise<void>;
  /** Tells every process (this one included) that the active version changed. */
  announce(version: string): Promise<void>;
  close(): Promise<void>;
}

export interface PolicyHolderOptions {
  pool: Pool;
  redisUrl: string;
  /** An ordinary connection to publish on (a subscribed one cannot). */
  publisher: Redis;
  /** Pub/sub channel; processes sharing a queue prefix are one deployment. */
  channel: string;
  /** Poll period: the longest a process keeps an old version when a notification is lost. */
  refreshMs: number;
  /** Used until the first read, and whenever no version is active (a database nobody seeded). */
  fallback: RoutingPolicy;
  logger: Logger;
}

/** The pub/sub channel that announces activations to every process of one deployment. */
export const policyChannel = (queuePrefix: string) => `${queuePrefix}:policy-activated`;

/**
 * Keeps the active policy in memory. An activation publishes on Redis so processes switch within
 * milliseconds; the periodic poll of Postgres is the fallback for lost messages and Redis outages,
 * so a process never keeps an old version longer than `refreshMs` (plus one query).
 */
export function createPolicyHolder(options: PolicyHolderOptions): PolicyHolder {
  const { pool, logger, channel } = options;
  let policy = options.fallback;
  let started = 0;
  let applied = 0;
  let closed = false;

  async function refresh(): Promise<void> {
    // Overlapping reads may finish out of order: only the newest one may set the policy.
    const ticket = ++started;
    const active = await loadActivePolicy(pool);
    if (ticket < applied || closed) return;
    applied = ticket;
    const next = active ?? options.fallback;
    if (next.version !== policy.version) logger.info({ from: policy.version, to: next.version }, 'routing policy changed');
    policy = next;
  }
  const refreshQuietly = () =>
    refresh().catch((err: Error) => logger.warn({ err: { message: err.message } }, 'routing policy refresh failed; keeping the current one'));

  // A subscribed connection can do nothing else, so it is separate from the request-path one.
  const subscriber: Redis = new IORedis(options.redisUrl, { maxRetriesPerRequest: null });
  subscriber.on('error', (err) => logger.debug({ err: { message: err.message } }, 'policy subscriber connection error'));
  subscriber.on('message', () => void refreshQuietly());
  // Messages sent while disconnected are gone: a reconnect re-reads.
  subscriber.on('ready', () => void refreshQuietly());
  subscriber.subscribe(channel).catch((err: Error) => logger.warn({ err: { message: err.message } }, 'policy subscription failed; polling only'));
  const timer = setInterval(() => void refreshQuietly(), options.refreshMs);
  timer.unref();

  return {
    current: () => policy,
    refresh,
    async announce(version) {
      await options.publisher.publish(channel, version);
    },
    async close() {
      closed = true;
      clearInterval(timer);
      subscriber.disconnect();
    },
  };
}

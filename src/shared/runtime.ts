import pg from 'pg';
import type { Config } from './config';
import { createPrisma } from './db/prisma';
import type { Deps } from './deps';
import type { Logger } from './logger';
import { createApiRedis, createQueues } from './queue/queues';
import { createPiiCipher, parsePiiKeys } from '../modules/privacy/pii-cipher';
import { configuredPolicy, createPolicyHolder, policyChannel } from '../modules/policies';

/** Builds the shared dependencies of one process. `close()` releases every connection. */
export function createDeps(config: Config, logger: Logger): Deps & { close(): Promise<void> } {
  const db = createPrisma(config.databaseUrl, config.databasePoolSize);
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.databasePoolSize, connectionTimeoutMillis: 5_000 });
  pool.on('error', (err) => logger.warn({ err: { message: err.message } }, 'idle postgres connection failed'));
  const redis = createApiRedis(config.redisUrl);
  // ioredis reconnects by itself; without a listener its errors would be unhandled.
  redis.on('error', (err) => logger.debug({ err: { message: err.message } }, 'redis connection error'));
  const queues = createQueues(redis, config.queuePrefix);
  const keys = parsePiiKeys(config.piiEncryptionKey);
  const cipher = createPiiCipher(keys, keys[0].id);
  const policies = createPolicyHolder({
    pool,
    redisUrl: config.redisUrl,
    publisher: redis,
    channel: policyChannel(config.queuePrefix),
    refreshMs: config.routing.policyRefreshMs,
    fallback: configuredPolicy(config),
    logger,
  });
  return {
    config,
    db,
    pool,
    redis,
    queues,
    cipher,
    logger,
    policies,
    async close() {
      await policies.close();
      // Queue.close() waits for a connection that may never come back; only close it when up.
      if (redis.status === 'ready') await queues.close().catch(() => undefined);
      redis.disconnect();
      await db.$disconnect();
      await pool.end();
    },
  };
}

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { buildApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/shared/config';
import { createLogger, type Logger } from '../../src/shared/logger';
import { createDeps } from '../../src/shared/runtime';
import type { Deps } from '../../src/shared/deps';
import { seedDatabase } from '../../src/shared/db/seed';

export const ADMIN_KEY = 'hk_admin_test_key_0123456789abcdef';
export const TEST_PII_KEY = Buffer.alloc(32, 7).toString('base64');
/** A second key every test app can read but none writes with: the rotation test moves data to it and back while other files run. */
export const TEST_PII_KEY_2 = Buffer.alloc(32, 9).toString('base64');

export interface TestApp {
  url: string;
  deps: Deps;
  config: Config;
  close(): Promise<void>;
}

/**
 * The real app on a real port against the test database and a per-file BullMQ prefix, so test
 * files never see each other's jobs. `options.logger` replaces the silent logger (log inspection).
 */
export async function startApp(env: Record<string, string> = {}, options: { logger?: Logger; seed?: boolean } = {}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/handoff_test',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    ADMIN_API_KEY: ADMIN_KEY,
    PII_ENCRYPTION_KEY: `k1:${TEST_PII_KEY},k2:${TEST_PII_KEY_2}`,
    QUEUE_PREFIX: `test-${randomUUID()}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    CALLBACK_ALLOWED_HOSTS: '127.0.0.1,localhost',
    ...env,
  });
  const deps = createDeps(config, options.logger ?? createLogger(config.logLevel));
  if (options.seed !== false) await seedDatabase(deps.db, deps.logger);
  await deps.policies.refresh();
  const app = buildApp(deps);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deps,
    config,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // With Redis unreachable BullMQ calls would wait for it forever.
      if (deps.redis.status === 'ready') await Promise.all([deps.queues.aiAnswer, deps.queues.delivery].map((q) => q.obliterate({ force: true }).catch(() => undefined)));
      await deps.close();
    },
  };
}

import pg from 'pg';
import { loadConfig } from '../src/shared/config';
import { createLogger } from '../src/shared/logger';
import { createDeps } from '../src/shared/runtime';
import type { Deps } from '../src/shared/deps';
import { setupDatabase } from '../src/shared/db/setup-database';
import { seedDatabase } from '../src/shared/db/seed';

/** Drops (closing its connections) and creates a benchmark's database, for a run from an empty start. */
export async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  target.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: target.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
}

export const BENCH_ADMIN_KEY = 'hk_admin_bench_key_0123456789abcdef';

/**
 * A benchmark's own database (never the app's or a test's): created when missing, migrated, filled by
 * `generate` (which decides itself whether the data already there can be reused), then seeded and
 * opened with the real app's dependencies, rate limits out of the way.
 */
export async function openBenchDatabase(options: {
  db: string;
  queuePrefix: string;
  generate(client: pg.Client): Promise<void>;
}): Promise<{ url: string; client: pg.Client; deps: Deps & { close(): Promise<void> } }> {
  const url = `postgresql://postgres@127.0.0.1:5432/${options.db}`;
  const admin = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.db]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${options.db}`);
  await admin.end();
  const logger = createLogger('warn');
  await setupDatabase(url, logger);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await options.generate(client);

  const config = loadConfig({
    NODE_ENV: 'test', PORT: '0', DATABASE_URL: url, ADMIN_API_KEY: BENCH_ADMIN_KEY,
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'), QUEUE_PREFIX: options.queuePrefix,
    LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000',
  });
  const deps = createDeps(config, logger);
  await seedDatabase(deps.db, logger);
  return { url, client, deps };
}

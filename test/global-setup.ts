import pg from 'pg';
import { setupDatabase } from '../src/shared/db/setup-database';
import { createLogger } from '../src/shared/logger';

/**
 * Once per run: a fresh test database on the local Postgres with every migration applied.
 * TEST_DATABASE_URL picks another database (e.g. for parallel checkouts).
 */
export default async function globalSetup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/handoff_test';
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
  await setupDatabase(url, createLogger('silent'));
  process.env.TEST_DATABASE_URL = url;
  process.env.TZ = 'UTC';
}

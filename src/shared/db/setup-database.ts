import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger';

/**
 * Creates the database when missing and applies committed migrations; both are idempotent, so
 * every start may run them. The WebAssembly schema engine cannot create databases itself.
 */
export async function setupDatabase(databaseUrl: string, logger: Logger): Promise<void> {
  await createDatabaseIfMissing(databaseUrl, logger);
  await runMigrations(databaseUrl);
}

export async function createDatabaseIfMissing(databaseUrl: string, logger?: Logger): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
        logger?.info({ database: name }, 'database created');
      } catch (e) {
        // Another instance created it between our check and our CREATE.
        if ((e as { code?: string }).code !== '42P04') throw e;
      }
    }
  } finally {
    await client.end();
  }
}

function runMigrations(databaseUrl: string): Promise<void> {
  const root = projectRoot();
  const cli = require.resolve('prisma/build/index.js', { paths: [root] });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'migrate', 'deploy'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed (${code}):\n${output.slice(-4000)}`))));
  });
}

/** The folder holding package.json and prisma/, whether running from src/ or dist/. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'prisma', 'schema.prisma'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('prisma/schema.prisma not found above ' + __dirname);
    dir = parent;
  }
  return dir;
}

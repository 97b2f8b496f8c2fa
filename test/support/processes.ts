import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ADMIN_KEY, TEST_PII_KEY } from './start-app';

const ROOT = path.resolve(__dirname, '..', '..');

export interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts Handoff (src/main.ts, compiled on the fly by tsx's loader in the same process, so signals reach it) with the test settings. */
export function startHandoff(env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/handoff_test',
      ADMIN_API_KEY: ADMIN_KEY,
      PII_ENCRYPTION_KEY: TEST_PII_KEY,
      DB_AUTO_MIGRATE: 'false',
      LOG_LEVEL: 'info',
      CALLBACK_ALLOWED_HOSTS: '127.0.0.1,localhost',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Waits until a log line containing `text` appears. */
export async function waitForOutput(proc: Proc, text: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!proc.output().includes(text)) {
    if (Date.now() > end) throw new Error(`"${text}" not seen in output:\n${proc.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A Redis of the test's own on a free port, which it may kill and restart (data lost: no persistence). */
export async function startRedis(port?: number): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const p = port ?? (await freePort());
  const child = spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  for (let i = 0; i < 50; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(p, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `redis://127.0.0.1:${p}`,
    port: p,
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The newest PostgreSQL server binaries installed (Debian keeps them per major version); PG_BIN overrides. */
function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const majors = fs.existsSync(root) ? fs.readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a)) : [];
  if (!majors.length) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql; set PG_BIN');
  return path.join(root, majors[0], 'bin');
}

/**
 * Runs a PostgreSQL tool; as root it runs as the `postgres` user, because initdb and postgres
 * refuse to run as root.
 */
function runPg(tool: string, args: string[]): Promise<void> {
  const bin = path.join(postgresBin(), tool);
  const [cmd, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${tool} ${args.join(' ')} exited ${code}: ${out.slice(-2000)}`))));
  });
}

export interface PrivatePostgres {
  port: number;
  /** A connection URL for `database` on this cluster. */
  url(database: string): string;
  /** Kills the server the way a crash would (`pg_ctl stop -m immediate`: no checkpoint, recovery at the next start). */
  crash(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary directory, a free port, trust auth
 * on 127.0.0.1 only) that it may crash and restart. The machine's shared Postgres on 5432 serves
 * every developer's tests and is never touched. fsync is off: the crash simulated is the server
 * process dying, not the machine losing power, so the page cache keeps what was written.
 */
export async function startPostgres(databases: string[] = ['handoff']): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-pg-'));
  if (process.getuid?.() === 0) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
    fs.chownSync(dir, id('-u'), id('-g'));
  }
  const data = path.join(dir, 'data');
  await runPg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync']);
  const start = () =>
    runPg('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
  await start();
  const admin = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  for (const db of databases) await admin.query(`CREATE DATABASE "${db}"`);
  await admin.end();
  const stop = (mode: string) => runPg('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
  return {
    port,
    url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    crash: () => stop('immediate'),
    start,
    async destroy() {
      await stop('immediate').catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Intake throughput and latency next to a bare Express handler that parses and validates the same
 * body, and next to that handler plus a `pg` INSERT, and plus an INSERT and a BullMQ add (the issue's
 * ladder), all in this process and measured back to back, so the ratios are the figure. The load comes
 * from a separate process (bench/load.ts), so this process's CPU time is the server's alone. Every
 * ticket's body is new (bench/intake-tickets.ts), as in production: what scoring costs depends on the
 * words a text brings, and the 15 bodies this bench once posted over and over brought few.
 *   npm run bench                  full run (about two minutes)
 *   BENCH_SECONDS=2 npm run bench  smoke run
 */
import express from 'express';
import { Queue } from 'bullmq';
import pg from 'pg';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/shared/config';
import { createLogger } from '../src/shared/logger';
import { createDeps } from '../src/shared/runtime';
import { setupDatabase } from '../src/shared/db/setup-database';
import { seedDatabase } from '../src/shared/db/seed';
import { newTicketSchema } from '../src/modules/intake/intake.schema';
import { scoreTicket } from '../src/modules/scoring';
import { httpDuration, scoringDuration } from '../src/shared/metrics';
import { decideRoute, type RoutingPolicy } from '../src/modules/routing';
import { SUBJECT, distinctText } from './intake-tickets';
import { startLoadGenerator, type LoadGenerator, type LoadOptions, type LoadResult } from './load';
import { startCpuProfile } from './cpu-profile';
import { cpuMsByPid, cpuMsSince, pidsNamed } from './process-cpu';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
/** The issue's latency point: a steady arrival rate well under both handlers' capacity. */
const FIXED_RATE = 300;
const ADMIN = 'hk_admin_bench_key_0123456789abcdef';

export interface Measured extends LoadResult {
  /** This process's CPU time per request: the server's cost, the load generator being elsewhere. */
  cpuUsPerRequest: number;
  /**
   * The rest of the machine's CPU per request, from /proc (10-ms ticks): all of Postgres' processes
   * (backends, WAL writer, autovacuum), Redis, and the load generator. With the server's, the CPU a
   * request costs on this machine, which the two cores divide into the rate.
   */
  postgresUsPerRequest: number;
  redisUsPerRequest: number;
  generatorUsPerRequest: number;
  /** Share of the run the server's event loop was busy: below 1, something other than its CPU held the rate. */
  eventLoopBusy: number;
  /**
   * How late the server's event loop ran a 1-ms timer (p99 and worst), and its garbage-collection pauses:
   * what of a slow request's time the server itself stalled, as against waits on Postgres or Redis.
   */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  gcPauses: number;
  gcMs: number;
}

/** GC pauses of this process while a run is measured; the observer stays on, runs read its running totals. */
const gc = { pauses: 0, ms: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.pauses++;
    gc.ms += entry.duration;
  }
}).observe({ entryTypes: ['gc'] });

/** CPU so far of the processes other than the server that a request keeps busy. */
function othersCpu(generator: LoadGenerator) {
  return { postgres: cpuMsByPid(pidsNamed(['postgres'])), redis: cpuMsByPid(pidsNamed(['redis-server'])), generator: cpuMsByPid([generator.pid]) };
}

let nextTicket = 0;
export async function load(generator: LoadGenerator, options: Omit<LoadOptions, 'firstTicket'>): Promise<Measured> {
  const firstTicket = nextTicket;
  nextTicket += 1_000_000;
  await generator.prepare({ ...options, firstTicket });
  const before = othersCpu(generator);
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const gcBefore = { ...gc };
  delay.enable();
  const result = await generator.run({ ...options, firstTicket });
  delay.disable();
  const used = process.cpuUsage(cpu);
  const eventLoopBusy = performance.eventLoopUtilization(loop).utilization;
  const after = othersCpu(generator);
  // A backend that ended during the run is missed; one that started is counted from zero.
  const perRequest = (k: keyof typeof after) => (1000 * cpuMsSince(before[k], after[k])) / Math.max(1, result.requests);
  return {
    ...result,
    cpuUsPerRequest: (used.user + used.system) / Math.max(1, result.requests),
    postgresUsPerRequest: perRequest('postgres'),
    redisUsPerRequest: perRequest('redis'),
    generatorUsPerRequest: perRequest('generator'),
    eventLoopBusy,
    loopDelayP99Ms: delay.percentile(99) / 1e6,
    loopDelayMaxMs: delay.max / 1e6,
    gcPauses: gc.pauses - gcBefore.pauses,
    gcMs: gc.ms - gcBefore.ms,
  };
}

export function listen(app: express.Express): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

/** The baseline: an Express handler that parses and validates the same body, and nothing else. */
export function bareIntakeApp(): express.Express {
  const bare = express();
  bare.post('/v1/tickets', express.json({ limit: 64 * 1024 }), (req, res) => {
    const parsed = newTicketSchema.safeParse(req.body);
    res.status(parsed.success ? 202 : 400).json(parsed.success ? { id: randomUUID() } : { error: true });
  });
  return bare;
}

/**
 * The ladder of limits, in this run: the bare handler plus one plain `pg` INSERT per request
 * (idempotent on source and external id, as intake is), and plus a BullMQ `add` after it. Whatever
 * intake does beyond keeping its guarantees is the distance from the last rung.
 */
export async function bareWriteApp(databaseUrl: string, poolSize: number, queue?: Queue): Promise<{ app: express.Express; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS bench_baseline;
    CREATE TABLE IF NOT EXISTS bench_baseline.tickets (
      id uuid PRIMARY KEY, source text NOT NULL, external_id text NOT NULL, body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (source, external_id));
    TRUNCATE bench_baseline.tickets`);
  const app = express();
  app.post('/v1/tickets', express.json({ limit: 64 * 1024 }), async (req, res) => {
    const parsed = newTicketSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: true });
      return;
    }
    const id = randomUUID();
    const { rowCount } = await pool.query({
      name: 'bench-insert',
      text: 'INSERT INTO bench_baseline.tickets (id, source, external_id, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      values: [id, parsed.data.source, parsed.data.externalId, parsed.data.body],
    });
    if (queue && rowCount) await queue.add('answer', { ticketId: id }, { jobId: id, removeOnComplete: true });
    res.status(rowCount ? 202 : 200).json({ id });
  });
  return { app, close: () => pool.end() };
}

const SCORED_BODIES = 2_000;

/**
 * scoreTicket's CPU time per ticket on bodies like those intake was sent (new ones, numbered after every
 * run's, so none was scored before in this process), in this process; and the routes decideRoute gives
 * them, which must stay about four in five to the AI for intake to be measured with its AI enqueue.
 */
function scoringOnTheseBodies(policy: RoutingPolicy): { usPerTicket: number; aiShare: number; reasons: Record<string, number> } {
  const n = SCORED_BODIES;
  const inputs = Array.from({ length: 200 + n }, (_, k) => ({ subject: SUBJECT, body: distinctText(nextTicket + k) }));
  for (let k = 0; k < 200; k++) scoreTicket(inputs[k]);
  const measured = inputs.slice(200);
  const cpu = process.cpuUsage();
  const scores = measured.map((input) => scoreTicket(input));
  const used = process.cpuUsage(cpu);
  let ai = 0;
  const reasons: Record<string, number> = {};
  for (const score of scores) {
    const decision = decideRoute(score, { aiOptOut: false, tier: 'standard', recentTicketCount: 0 }, policy);
    if (decision.route === 'ai') ai++;
    else for (const { code } of decision.reasons) reasons[code] = (reasons[code] ?? 0) + 1;
  }
  return { usPerTicket: (used.user + used.system) / n, aiShare: ai / n, reasons };
}

/**
 * One intake measurement: the bare handler and Handoff in turn, warmed first (JIT, pools, prepared
 * statements), then as fast as CONNECTIONS go and at FIXED_RATE. `profileFile`: a CPU profile of this
 * (the server's) process during Handoff's run at CONNECTIONS, and another (`fixedRateProfileFile`) during
 * its run at FIXED_RATE, where requests no longer share batches.
 */
const fixedRateProfileFile = (file: string) => file.replace(/(\.cpuprofile)?$/, `.${FIXED_RATE}-per-s.cpuprofile`);

/**
 * What the server's own histograms hold so far for intake: seconds spent scoring (on the event loop) and
 * messages scored, and seconds from each `POST /v1/tickets` request's arrival to its response, and requests.
 */
async function intakeTimesInServer(): Promise<{ scoring: { seconds: number; count: number }; request: { seconds: number; count: number } }> {
  const scoringValues = (await scoringDuration.get()).values.filter((v) => v.labels.trigger === 'intake');
  const requestValues = (await httpDuration.get()).values.filter((v) => v.labels.method === 'POST' && v.labels.route === '/v1/tickets');
  const total = (values: { metricName?: string; value: number }[], name: string) => values.filter((v) => v.metricName === name).reduce((sum, v) => sum + v.value, 0);
  return {
    scoring: { seconds: total(scoringValues, 'handoff_scoring_duration_seconds_sum'), count: total(scoringValues, 'handoff_scoring_duration_seconds_count') },
    request: { seconds: total(requestValues, 'handoff_http_request_duration_seconds_sum'), count: total(requestValues, 'handoff_http_request_duration_seconds_count') },
  };
}

/**
 * Handoff's run, and per ticket meanwhile: the microseconds its server spent scoring
 * (handoff_scoring_duration_seconds) and the microseconds a request spent in the server from arrival to
 * response (handoff_http_request_duration_seconds), waits for Postgres and Redis included.
 */
async function handoffRun(run: () => Promise<Measured>): Promise<Measured & { scoringUs: number; requestUs: number }> {
  const before = await intakeTimesInServer();
  const measured = await run();
  const after = await intakeTimesInServer();
  const perItem = (b: { seconds: number; count: number }, a: { seconds: number; count: number }) => (1e6 * (a.seconds - b.seconds)) / Math.max(1, a.count - b.count);
  return { ...measured, scoringUs: perItem(before.scoring, after.scoring), requestUs: perItem(before.request, after.request) };
}

export async function intakeRuns(
  generator: LoadGenerator,
  urls: { bare: string; handoff: string; rungs?: Record<string, string> },
  auth: Record<string, string>,
  seconds: number,
  profileFile?: string,
): Promise<{
  bare: Measured;
  handoff: Measured & { scoringUs: number; requestUs: number };
  bareFixed: Measured;
  handoffFixed: Measured & { scoringUs: number; requestUs: number };
  rungs: Record<string, Measured>;
  rungsFixed: Record<string, Measured>;
}> {
  const warm = Math.max(1, Math.round(seconds / 4));
  const rungUrls = Object.entries(urls.rungs ?? {});
  const runRungs = async (rate?: number) => {
    const out: Record<string, Measured> = {};
    for (const [name, url] of rungUrls) out[name] = await load(generator, { url, headers: {}, connections: CONNECTIONS, seconds, rate });
    return out;
  };
  await load(generator, { url: urls.bare, headers: {}, connections: CONNECTIONS, seconds: warm });
  for (const [, url] of rungUrls) await load(generator, { url, headers: {}, connections: CONNECTIONS, seconds: warm });
  await load(generator, { url: urls.handoff, headers: auth, connections: CONNECTIONS, seconds: warm });
  const bare = await load(generator, { url: urls.bare, headers: {}, connections: CONNECTIONS, seconds });
  const rungs = await runRungs();
  const profiler = profileFile ? await startCpuProfile() : undefined;
  const handoff = await handoffRun(() => load(generator, { url: urls.handoff, headers: auth, connections: CONNECTIONS, seconds }));
  if (profiler) console.log(await profiler.stop(profileFile!));
  const bareFixed = await load(generator, { url: urls.bare, headers: {}, connections: CONNECTIONS, seconds, rate: FIXED_RATE });
  const rungsFixed = await runRungs(FIXED_RATE);
  const fixedProfiler = profileFile ? await startCpuProfile() : undefined;
  const handoffFixed = await handoffRun(() => load(generator, { url: urls.handoff, headers: auth, connections: CONNECTIONS, seconds, rate: FIXED_RATE }));
  if (fixedProfiler) console.log(await fixedProfiler.stop(fixedRateProfileFile(profileFile!)));
  return { bare, handoff, bareFixed, handoffFixed, rungs, rungsFixed };
}

export async function benchIntake(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/handoff_bench';
  const logger = createLogger('silent');
  await setupDatabase(databaseUrl, logger);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    ADMIN_API_KEY: ADMIN,
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    QUEUE_PREFIX: `bench-${randomUUID()}`,
    RATE_LIMIT_PER_MINUTE: '100000000',
    LOG_LEVEL: 'silent',
  });
  const deps = createDeps(config, logger);
  await seedDatabase(deps.db, logger);
  // The database outlives the runs, and the CI machine's Postgres runs without autovacuum: without this,
  // every run would write into the dead rows and stale statistics of all the runs before it.
  await deps.pool.query('VACUUM ANALYZE');

  const bareServer = await listen(bareIntakeApp());
  const bareQueue = new Queue('bench-bare', { connection: deps.redis, prefix: config.queuePrefix });
  const insertApp = await bareWriteApp(databaseUrl, config.databasePoolSize);
  const insertAddApp = await bareWriteApp(databaseUrl, config.databasePoolSize, bareQueue);
  const insertServer = await listen(insertApp.app);
  const insertAddServer = await listen(insertAddApp.app);
  const handoffServer = await listen(buildApp(deps));
  const bareUrl = `${bareServer.url}/v1/tickets`;
  const handoffUrl = `${handoffServer.url}/v1/tickets`;
  const auth = { authorization: `Bearer ${ADMIN}` };
  const rungNames = { insert: '+ pg INSERT', insertAdd: '+ pg INSERT + BullMQ add' };

  const generator = startLoadGenerator();
  const {
    bare: baseline, handoff, bareFixed: baselineFixed, handoffFixed, rungs, rungsFixed,
  } = await intakeRuns(
    generator,
    { bare: bareUrl, handoff: handoffUrl, rungs: { [rungNames.insert]: `${insertServer.url}/v1/tickets`, [rungNames.insertAdd]: `${insertAddServer.url}/v1/tickets` } },
    auth,
    SECONDS,
    process.env.BENCH_PROFILE,
  );
  generator.stop();
  const scoring = scoringOnTheseBodies(deps.policies.current());

  const row = (m: Measured) => ({
    'req/s': Math.round(m.rps),
    'p50 ms': m.p50,
    'p99 ms': m.p99,
    'server CPU µs/req': Math.round(m.cpuUsPerRequest),
    'Postgres µs/req': Math.round(m.postgresUsPerRequest),
    'Redis µs/req': Math.round(m.redisUsPerRequest),
    'load gen. µs/req': Math.round(m.generatorUsPerRequest),
    'event loop busy %': Math.round(100 * m.eventLoopBusy),
    'loop delay p99 / max ms': `${m.loopDelayP99Ms.toFixed(1)} / ${m.loopDelayMaxMs.toFixed(1)}`,
    'GC pauses (ms)': `${m.gcPauses} (${Math.round(m.gcMs)})`,
    errors: m.errors + m.non2xx,
  });
  console.log(`\nIntake, ${SECONDS} s per run, one server process, load from another process`);
  console.table({
    [`bare express + zod, ${CONNECTIONS} connections`]: row(baseline),
    ...Object.fromEntries(Object.entries(rungs).map(([name, m]) => [`bare ${name}, ${CONNECTIONS} connections`, row(m)])),
    [`handoff POST /v1/tickets, ${CONNECTIONS} connections`]: row(handoff),
    [`bare express + zod, ${FIXED_RATE}/s`]: row(baselineFixed),
    ...Object.fromEntries(Object.entries(rungsFixed).map(([name, m]) => [`bare ${name}, ${FIXED_RATE}/s`, row(m)])),
    [`handoff POST /v1/tickets, ${FIXED_RATE}/s`]: row(handoffFixed),
  });
  const limit = rungs[rungNames.insertAdd];
  const limitFixed = rungsFixed[rungNames.insertAdd];
  console.log(`ratio handoff / bare at ${CONNECTIONS} connections: ${(handoff.rps / baseline.rps).toFixed(2)} (bare ${rungNames.insertAdd}: ${(limit.rps / baseline.rps).toFixed(2)}; handoff / that: ${(handoff.rps / limit.rps).toFixed(2)})`);
  console.log(
    `p99 at ${FIXED_RATE}/s: handoff ${handoffFixed.p99} ms, bare ${baselineFixed.p99} ms, difference ${(handoffFixed.p99 - baselineFixed.p99).toFixed(1)} ms ` +
      `(bare ${rungNames.insertAdd}: ${limitFixed.p99} ms, +${(limitFixed.p99 - baselineFixed.p99).toFixed(1)} ms)`,
  );
  console.log(
    `scoring alone (a loop, its data warm in the CPU's caches): ${Math.round(scoring.usPerTicket)} µs CPU per ticket on ${SCORED_BODIES} new bodies like these = ` +
      `${((100 * scoring.usPerTicket) / handoff.cpuUsPerRequest).toFixed(1)} % of intake's server CPU per request`,
  );
  const share = (us: number, m: Measured) => `${Math.round(us)} µs = ${((100 * us) / m.cpuUsPerRequest).toFixed(1)} %`;
  console.log(
    `scoring in the server among its other work (handoff_scoring_duration_seconds, time on the event loop): ` +
      `${share(handoff.scoringUs, handoff)} of server CPU per request at ${CONNECTIONS} connections, ${share(handoffFixed.scoringUs, handoffFixed)} at ${FIXED_RATE}/s`,
  );
  const ofRequest = (m: { scoringUs: number; requestUs: number }) => `${Math.round(m.scoringUs)} of ${Math.round(m.requestUs)} µs = ${((100 * m.scoringUs) / m.requestUs).toFixed(1)} %`;
  console.log(
    `scoring in the server's time per request (handoff_http_request_duration_seconds, arrival to response, waits included): ` +
      `${ofRequest(handoff)} at ${CONNECTIONS} connections, ${ofRequest(handoffFixed)} at ${FIXED_RATE}/s`,
  );
  const reasons = Object.entries(scoring.reasons).map(([code, count]) => `${code} ${count}`).join(', ');
  console.log(
    `routes of those bodies: ${(100 * scoring.aiShare).toFixed(1)} % to the AI, ${(100 * (1 - scoring.aiShare)).toFixed(1)} % to a person ` +
      `(meant: 80 / 20; tickets with each reason for a person: ${reasons})`,
  );

  await bareServer.close();
  await Promise.all([insertServer.close(), insertAddServer.close()]);
  await Promise.all([insertApp.close(), insertAddApp.close()]);
  await bareQueue.obliterate({ force: true }).catch(() => undefined);
  await bareQueue.close();
  await handoffServer.close();
  await deps.queues.aiAnswer.obliterate({ force: true }).catch(() => undefined);
  await deps.close();
}

/**
 * How intake's cost grows with the tickets already stored: the intake run of bench/intake.bench.ts
 * (50 connections, then 300 tickets/s, next to the bare handler) against databases holding 10,000,
 * 100,000 and 1,000,000 tickets. Each size has its own database (handoff_bench_intake_<N>), generated
 * with generate_series and reused while it still holds exactly the generated tickets; what a run
 * posts is deleted afterwards, so the next run starts from the same N.
 *   npm run bench:intake-growth                       all three sizes (the first 1,000,000 takes minutes)
 *   BENCH_SECONDS=5 npx tsx bench/intake-growth.bench.ts 10000 100000
 */
import os from 'node:os';
import pg from 'pg';
import { buildApp } from '../src/app';
import { BENCH_ADMIN_KEY, openBenchDatabase } from './bench-database';
import { bareIntakeApp, intakeRuns, listen, type Measured } from './intake.bench';
import { startLoadGenerator } from './load';

const SIZES = process.argv.slice(2).map(Number).filter((n) => n > 0);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
/** The load's customers are cust-0 … cust-4999 of source `bench` (bench/intake-tickets.ts); stored tickets use more. */
const LOAD_CUSTOMERS = 5_000;
const STORED_PREFIX = 'stored-';

/**
 * N tickets over 90 days from max(5,000, N / 4) customers of source `bench` (so the load's customers
 * have history, some of it inside the repeat-contact window), each with its customer message, its
 * intake decision and one or two events, the way intake and the agents leave them.
 */
async function generate(client: pg.Client, n: number): Promise<void> {
  const { rows } = await client.query(`SELECT count(*)::int AS n FROM tickets WHERE external_id LIKE '${STORED_PREFIX}%'`);
  const { rows: all } = await client.query('SELECT (SELECT count(*) FROM tickets)::int AS n, (SELECT count(*) FROM ticket_events)::int AS events');
  if (rows[0].n === n && all[0].n === n && all[0].events >= n) return console.log(`reusing ${n.toLocaleString('en')} stored tickets`);
  const t0 = Date.now();
  const customers = Math.max(LOAD_CUSTOMERS, Math.floor(n / 4));
  // One transaction, so a generation that fails half-way is not taken for a finished one next time.
  await client.query('BEGIN');
  await client.query('TRUNCATE tickets, customers, decisions, messages, ticket_events CASCADE');
  await client.query(`
    INSERT INTO customers (id, source, external_id, name_enc, email_enc, locale, tier, created_at, updated_at)
    SELECT gen_random_uuid(), 'bench', 'cust-' || k, encode(sha256(('n' || k)::bytea), 'base64'), encode(sha256(('e' || k)::bytea), 'base64'),
           (ARRAY['en','es','fr','de','pt'])[1 + k % 5], (ARRAY['standard','standard','premium','vip'])[1 + k % 4]::"Tier",
           now() - interval '120 days', now() - interval '120 days'
      FROM generate_series(0, ${customers - 1}) k`);
  await client.query(`
    INSERT INTO tickets (id, source, external_id, customer_id, channel, subject_enc, metadata, status, route, initial_route, priority,
      sentiment, complexity, flags, reasons, language, skills, customer_locale, customer_tier, queued_at, first_response_due_at,
      resolution_due_at, first_responded_at, resolved_at, created_at, updated_at)
    SELECT gen_random_uuid(), 'bench', '${STORED_PREFIX}' || g, c.id, (ARRAY['email','chat','web','phone','social'])[1 + g % 5]::"Channel",
      encode(sha256(g::text::bytea), 'base64'), '{"orderId":"A-1001"}',
      st::"TicketStatus", rt::"Route", rt::"Route", (ARRAY['urgent','high','normal','low'])[1 + g % 4]::"Priority",
      -0.2 + (g % 7) * 0.1, 0.3, CASE WHEN g % 5 = 4 THEN '{human_requested}'::text[] ELSE '{}' END,
      '[{"code":"ROUTINE","detail":"bench"}]', (ARRAY['en','es','fr','de','en'])[1 + g % 5], '{billing}',
      c.locale, c.tier, at, at + interval '1 hour', at + interval '1 day',
      CASE WHEN st <> 'ai_queued' AND st <> 'human_queued' THEN at + interval '20 min' END,
      CASE WHEN st = 'resolved' THEN at + interval '3 hours' END, at, at
    FROM (SELECT g, now() - (g::float8 / ${n}) * interval '90 days' - interval '1 minute' AS at,
                 CASE WHEN g % 50 = 0 THEN 'human_queued' WHEN g % 10 < 5 THEN 'ai_answered' ELSE 'resolved' END AS st,
                 CASE WHEN g % 10 < 5 THEN 'ai' ELSE 'human' END AS rt
            FROM generate_series(1, ${n}) g) s
    JOIN customers c ON c.source = 'bench' AND c.external_id = 'cust-' || (s.g % ${customers})`);
  await client.query(`
    INSERT INTO messages (id, ticket_id, author, body_enc, created_at)
    SELECT gen_random_uuid(), id, 'customer', repeat(md5(id::text), 24), created_at FROM tickets`);
  await client.query(`
    INSERT INTO decisions (id, ticket_id, trigger, route, priority, sentiment, complexity, flags, reasons, language, scorer_version,
      policy_version, created_at, ai_opt_out, recent_ticket_count, customer_tier, customer_locale, channel)
    SELECT gen_random_uuid(), id, 'intake', route, priority, sentiment, complexity, flags, reasons, language, 'bench', 'bench',
      created_at, false, 0, customer_tier, customer_locale, channel FROM tickets`);
  await client.query(`
    INSERT INTO ticket_events (id, ticket_id, type, data, created_at)
    SELECT gen_random_uuid(), id, CASE WHEN route = 'ai' THEN 'ai_queued' ELSE 'human_queued' END, '{"trigger":"intake"}'::jsonb, created_at FROM tickets
    UNION ALL
    SELECT gen_random_uuid(), id, 'resolved', '{}', resolved_at FROM tickets WHERE resolved_at IS NOT NULL`);
  await client.query('COMMIT');
  for (const table of ['customers', 'tickets', 'messages', 'decisions', 'ticket_events']) await client.query(`VACUUM ANALYZE ${table}`);
  console.log(`generated ${n.toLocaleString('en')} tickets from ${customers.toLocaleString('en')} customers in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/** Removes what a run posted, so the database holds the generated tickets only. */
async function removePosted(client: pg.Client, since: Date): Promise<void> {
  const posted = `SELECT id FROM tickets WHERE created_at >= $1 AND external_id NOT LIKE '${STORED_PREFIX}%'`;
  for (const table of ['messages', 'decisions', 'ticket_events', 'deliveries']) await client.query(`DELETE FROM ${table} WHERE ticket_id IN (${posted})`, [since]);
  await client.query(`DELETE FROM tickets WHERE id IN (${posted})`, [since]);
}

interface Row {
  stored: number;
  bytes: string;
  bare: Measured;
  handoff: Measured;
  bareFixed: Measured;
  handoffFixed: Measured;
}

async function measure(n: number): Promise<Row> {
  const { client, deps } = await openBenchDatabase({
    db: `handoff_bench_intake_${n}`,
    queuePrefix: `bench-intake-${n}`,
    generate: (c) => generate(c, n),
  });
  const since = new Date(Date.now() - 1_000);
  const bareServer = await listen(bareIntakeApp());
  const handoffServer = await listen(buildApp(deps));
  const bareUrl = `${bareServer.url}/v1/tickets`;
  const url = `${handoffServer.url}/v1/tickets`;
  const auth = { authorization: `Bearer ${BENCH_ADMIN_KEY}` };
  const generator = startLoadGenerator();
  try {
    const { bare, handoff, bareFixed, handoffFixed } = await intakeRuns(generator, { bare: bareUrl, handoff: url }, auth, SECONDS);
    const { rows } = await client.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS bytes`);
    return { stored: n, bytes: rows[0].bytes, bare, handoff, bareFixed, handoffFixed };
  } finally {
    generator.stop();
    await bareServer.close();
    await handoffServer.close();
    // Requests the load generator gave up on at the end of a run still finish before the pools close.
    await new Promise((r) => setTimeout(r, 1_000));
    await deps.queues.aiAnswer.obliterate({ force: true }).catch(() => undefined);
    await deps.close();
    await removePosted(client, since);
    await client.end();
  }
}

async function main() {
  const sizes = SIZES.length > 0 ? SIZES : [10_000, 100_000, 1_000_000];
  console.log(`${os.cpus().length} × ${os.cpus()[0]?.model}, node ${process.version}, ${SECONDS} s per run`);
  console.log('| stored tickets | database | time (UTC), load avg | bare req/s | Handoff req/s | ratio | Handoff p50 / p99 ms, 50 conn. | server CPU µs/req bare / Handoff | p50 / p99 ms at 300/s bare / Handoff |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const n of sizes) {
    const r = await measure(n);
    const at = `${new Date().toISOString().slice(11, 16)}, ${os.loadavg()[0].toFixed(1)}`;
    console.log(
      `| ${n.toLocaleString('en')} | ${r.bytes} | ${at} | ${Math.round(r.bare.rps)} | ${Math.round(r.handoff.rps)} | ${(r.handoff.rps / r.bare.rps).toFixed(2)} | ` +
        `${r.handoff.p50} / ${r.handoff.p99} | ${Math.round(r.bare.cpuUsPerRequest)} / ${Math.round(r.handoff.cpuUsPerRequest)} | ` +
        `${r.bareFixed.p50} / ${r.bareFixed.p99} — ${r.handoffFixed.p50} / ${r.handoffFixed.p99} (${Math.round(r.handoffFixed.rps)}/s served) |`,
    );
  }
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

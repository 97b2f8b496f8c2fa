/**
 * Policy simulation over 1,000,000 tickets. Generates 90 days of tickets with their intake decisions
 * (varied scores, flags, languages, opt-outs and repeat counts, decided as the default policy would)
 * in a separate database (handoff_bench_policies, rebuilt only when its row count differs; the same
 * generate_series approach as bench/stats.bench.ts, whose tickets all carry the same scores), then
 * times POST /v1/policies/{version}/simulate through the real HTTP app and prints EXPLAIN ANALYZE
 * of its statements.
 * Run: npx tsx bench/policies.bench.ts [tickets=1000000]
 */
import pg from 'pg';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/app';
import { BENCH_ADMIN_KEY as ADMIN, openBenchDatabase } from './bench-database';
import { SIMULATION_SQL } from '../src/modules/policies/simulate-policy';

const N = Number(process.argv[2] ?? 1_000_000);
const DB = 'handoff_bench_policies';
const RUNS = 5;

const CANDIDATE = {
  negativeSentimentThreshold: -0.5,
  highComplexityThreshold: 0.8,
  humanFlags: ['human_requested', 'legal_threat', 'fraud_or_security', 'safety', 'churn_risk'],
  urgentFlags: ['safety', 'legal_threat'],
  highFlags: ['complaint', 'billing_dispute'],
  aiLanguages: ['en', 'es', 'fr', 'de', 'it'],
  repeatContactThreshold: 2,
  repeatContactWindowHours: 72,
};

async function generate(client: pg.Client) {
  const { rows } = await client.query('SELECT count(*)::int AS n FROM decisions WHERE channel IS NOT NULL');
  if (rows[0].n === N) return console.log(`reusing ${N} tickets`);
  const t0 = Date.now();
  await client.query('TRUNCATE tickets, customers, decisions, agents CASCADE');
  await client.query(`INSERT INTO customers (id, source, external_id) VALUES ('00000000-0000-0000-0000-000000000001', 'bench', 'c')`);
  await client.query(`INSERT INTO agents (id, name, email, skills, languages, capacity, status)
    SELECT gen_random_uuid(), 'agent ' || g, 'a@example.com', '{}', '{en}', 5, (ARRAY['available','away','offline'])[1 + g % 3]::"AgentStatus"
    FROM generate_series(1, 50) g`);
  // The inputs first, then the default policy's decision over them (the same rules as decideRoute).
  await client.query(`
    CREATE TEMP TABLE gen AS
    SELECT gen_random_uuid() AS id, g, now() - (g::float8 / ${N}) * interval '90 days' AS c,
      round((((hashtext('s' || g) & 1023) / 511.5) - 1)::numeric, 3)::float8 AS sentiment,
      round(((hashtext('c' || g) & 1023) / 1023.0)::numeric, 3)::float8 AS complexity,
      ARRAY(SELECT f FROM unnest(ARRAY['human_requested','complaint','legal_threat','churn_risk','billing_dispute','fraud_or_security','safety','bereavement_or_health','privacy_request']) WITH ORDINALITY AS x(f, i)
            WHERE (hashtext(g || f) & 31) = 0) AS flags,
      (ARRAY['en','en','en','es','fr','de','pt','it','und','nl'])[1 + (hashtext('l' || g) & 65535) % 10] AS language,
      (hashtext('o' || g) & 63) = 0 AS ai_opt_out,
      (ARRAY[0,0,0,0,0,1,1,2,3,4])[1 + (hashtext('r' || g) & 65535) % 10] AS recent,
      (ARRAY['standard','standard','premium','vip'])[1 + g % 4] AS tier,
      (ARRAY['email','chat','web','phone','social'])[1 + g % 5] AS channel,
      CASE WHEN g % 17 = 0 THEN NULL ELSE (ARRAY['en','es','fr','de','pt','it'])[1 + g % 6] END AS locale
    FROM generate_series(1, ${N}) g`);
  await client.query(`
    CREATE TEMP TABLE dec AS
    SELECT gen.*, codes, CASE WHEN cardinality(codes) > 0 THEN 'human' ELSE 'ai' END AS route,
      (ARRAY['low','normal','high','urgent'])[1 + LEAST(3, CASE WHEN flags && '{safety,legal_threat,fraud_or_security}' THEN 3
        WHEN flags && '{complaint,bereavement_or_health,churn_risk,billing_dispute,human_requested}' OR sentiment <= -0.7 THEN 2 ELSE 1 END
        + CASE WHEN tier = 'vip' THEN 1 ELSE 0 END)] AS priority
    FROM gen, LATERAL (SELECT array_remove(ARRAY[
      CASE WHEN 'human_requested' = ANY(flags) THEN 'HUMAN_REQUESTED' END,
      CASE WHEN flags && '{complaint,legal_threat,fraud_or_security,safety,bereavement_or_health,privacy_request}' THEN 'SENSITIVE_TOPIC' END,
      CASE WHEN ai_opt_out THEN 'AI_OPT_OUT' END,
      CASE WHEN sentiment <= -0.7 THEN 'NEGATIVE_SENTIMENT' END,
      CASE WHEN complexity >= 0.7 THEN 'HIGH_COMPLEXITY' END,
      CASE WHEN language <> 'und' AND NOT language = ANY('{en,es,fr,de,pt}') THEN 'LANGUAGE_UNSUPPORTED' END,
      CASE WHEN recent >= 3 THEN 'REPEAT_CONTACT' END], NULL) AS codes) x`);
  await client.query(`
    INSERT INTO tickets (id, source, external_id, customer_id, channel, status, route, initial_route, priority, sentiment, complexity, flags, reasons,
      language, skills, customer_locale, customer_tier, queued_at, created_at)
    SELECT id, (ARRAY['zendesk','freshdesk','intercom'])[1 + g % 3], g::text, '00000000-0000-0000-0000-000000000001',
      channel::"Channel", 'resolved', route::"Route", route::"Route", priority::"Priority",
      sentiment, complexity, flags, '[]', language, '{}', locale, tier::"Tier", c, c
    FROM dec`);
  await client.query(`
    INSERT INTO decisions (id, ticket_id, trigger, route, priority, sentiment, complexity, flags, reasons, language, scorer_version, policy_version,
      ai_opt_out, recent_ticket_count, customer_tier, customer_locale, channel, created_at)
    SELECT gen_random_uuid(), id, 'intake', route::"Route", priority::"Priority", sentiment, complexity, flags,
      COALESCE((SELECT jsonb_agg(jsonb_build_object('code', code, 'detail', 'bench')) FROM unnest(codes) code), '[{"code":"ROUTINE","detail":"bench"}]'),
      language, 'bench', 'policy-2026.11.1', ai_opt_out, recent, tier::"Tier", locale, channel::"Channel", c
    FROM dec`);
  await client.query('VACUUM ANALYZE tickets');
  await client.query('VACUUM ANALYZE decisions');
  console.log(`generated ${N} tickets and intake decisions in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

async function main() {
  const { client, deps } = await openBenchDatabase({ db: DB, queuePrefix: 'bench-policies', generate });
  const server = buildApp(deps).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
  const version = `bench-${Date.now()}`;
  const created = await fetch(`${base}/v1/policies`, { method: 'POST', headers, body: JSON.stringify({ version, policy: CANDIDATE }) });
  if (created.status !== 201) throw new Error(`draft: ${created.status} ${await created.text()}`);

  const day = 86_400_000;
  const now = Date.now();
  const windows: [string, number][] = [['90 days (all tickets)', 91], ['30 days', 30], ['1 day', 1]];
  console.log(`\n| window | tickets | median ms | min ms | max ms |\n|---|---|---|---|---|`);
  for (const [name, days] of windows) {
    const path = `/v1/policies/${version}/simulate?from=${new Date(now - days * day).toISOString()}&to=${new Date(now).toISOString()}`;
    const times: number[] = [];
    let tickets = 0;
    for (let i = 0; i < RUNS + 1; i++) {
      const t = performance.now();
      const res = await fetch(base + path, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
      const body = (await res.json()) as { tickets: number };
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(body)}`);
      tickets = body.tickets;
      if (i > 0) times.push(performance.now() - t); // the first run warms caches
    }
    times.sort((a, b) => a - b);
    console.log(`| ${name} | ${tickets} | ${times[RUNS >> 1].toFixed(0)} | ${times[0].toFixed(0)} | ${times[RUNS - 1].toFixed(0)} |`);
  }

  const params = [new Date(now - 91 * day), new Date(now), CANDIDATE.humanFlags, CANDIDATE.negativeSentimentThreshold, CANDIDATE.highComplexityThreshold,
    CANDIDATE.aiLanguages, CANDIDATE.repeatContactThreshold, CANDIDATE.urgentFlags, CANDIDATE.highFlags];
  for (const [name, sql, values] of [
    ['replay and aggregates (90 days)', SIMULATION_SQL.aggregate, params],
    ['sample of changed routes (90 days)', SIMULATION_SQL.sample, [...params.slice(0, 7), 20]],
  ] as const) {
    await client.query('BEGIN READ ONLY');
    for (const setting of SIMULATION_SQL.settings) await client.query(setting);
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS OFF, TIMING ON, SUMMARY ON) ${sql}`, values as unknown[]);
    await client.query('COMMIT');
    console.log(`\n### ${name}\n\`\`\`\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n\`\`\``);
  }
  server.close();
  await deps.close();
  await client.end();
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});

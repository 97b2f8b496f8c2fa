import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { batcherPer, microBatcher } from '../../shared/micro-batch';
import type { PiiCipher } from '../privacy/pii-cipher';
import type { RouteDecision } from '../routing';
import type { TicketScore } from '../scoring';
import type { DueTimes } from '../sla';
import type { NewTicket } from './intake.schema';

// Intake is the hottest path. Concurrent requests share one statement per batch (the customer's recent
// tickets counted, then customers, tickets, messages, decisions and events written), so one round trip,
// one commit and one WAL flush for many tickets. Each request is answered only after the commit of the
// batch it was in. The statement is prepared once per connection (named) and takes arrays, whatever the
// batch size.

/** Batches larger than this gain little and make a slow statement hold more requests. */
const MAX_BATCH = 64;
/** Batches written at once per process; later requests gather into the next batch meanwhile. */
const MAX_IN_FLIGHT = 4;

/**
 * A statement the server refused for its data (a SQLSTATE outside connection, resource and operator
 * classes): retrying the batch's tickets one by one isolates the one at fault. A deadlock between two
 * processes' batches (40P01) is retried the same way.
 */
function refusedForData(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|53|57|58)/.test(code);
}

export interface NewTicketRow {
  id: string;
  input: NewTicket;
  score: TicketScore;
  decision: RouteDecision;
  skills: string[];
  due: DueTimes;
  scorerVersion: string;
  /**
   * Earlier tickets of this customer since `repeatSince`, stored with the decision so a policy can be
   * replayed later (simulation). null: not known yet, the write counts them, and `decision` holds only
   * for a count below `decidedBelow`; from it on nothing is written and the count comes back instead.
   */
  recentTicketCount: number | null;
  repeatSince: Date;
  decidedBelow: number;
  now: Date;
}

/** What a write did: the ticket stored, already there (a redelivery), or not written because its decision needs the count. */
export type WriteOutcome = { outcome: 'created' | 'exists' } | { outcome: 'recount'; recentTicketCount: number };

/** Column arrays for the write statement, one entry per ticket (t*) or per distinct customer (c*). */
const TICKET_COLUMNS = [
  ['id', 'uuid'], ['source', 'text'], ['external_id', 'text'], ['customer_external_id', 'text'], ['channel', 'text'],
  ['subject_enc', 'text'], ['callback_url', 'text'], ['metadata', 'text'], ['status', 'text'], ['route', 'text'],
  ['priority', 'text'], ['sentiment', 'float8'], ['complexity', 'float8'], ['flags', 'text'], ['reasons', 'text'],
  ['language', 'text'], ['skills', 'text'], ['customer_locale', 'text'], ['tier', 'text'], ['now', 'timestamptz'],
  ['human_requested_at', 'timestamptz'], ['first_response_due_at', 'timestamptz'], ['resolution_due_at', 'timestamptz'],
  ['human_request_due_at', 'timestamptz'], ['message_id', 'uuid'], ['body_enc', 'text'], ['decision_id', 'uuid'],
  ['scorer_version', 'text'], ['policy_version', 'text'], ['event_id', 'uuid'],
  ['ai_opt_out', 'bool'], ['recent_ticket_count', 'int4'], ['repeat_since', 'timestamptz'], ['decided_below', 'int4'],
] as const;
const CUSTOMER_COLUMNS = [
  ['id', 'uuid'], ['source', 'text'], ['external_id', 'text'], ['name_enc', 'text'], ['email_enc', 'text'],
  ['phone_enc', 'text'], ['locale', 'text'], ['tier', 'text'], ['ai_opt_out', 'bool'],
] as const;

/**
 * Each array is read through a scalar subquery so that the planner cannot see its length: seen, a batch
 * of one looked cheaper than the generic plan's guess of ten rows, so every execution was planned anew
 * (a custom plan each time, ~0.3 ms of Postgres CPU) instead of reusing the prepared generic plan.
 */
function unnestOf(columns: readonly (readonly [string, string])[], firstParam: number, alias: string): string {
  const params = columns.map(([, type], i) => `(SELECT $${firstParam + i}::${type}[])`).join(', ');
  return `unnest(${params}) WITH ORDINALITY AS ${alias}(${columns.map(([name]) => name).join(', ')}, ord)`;
}

const jsonTextArray = (column: string) => `ARRAY(SELECT jsonb_array_elements_text(${column}::jsonb))`;

// Rows go in in (source, external_id) order, customers and tickets alike, so two processes' batches
// lock the same keys in the same order instead of deadlocking.
// The count is read in the statement's snapshot, as a read before it would: tickets of the same batch do
// not count each other.
// A customer is written only with a ticket that is new: a redelivery must change nothing, and above all
// must not bring back the details of a customer erased since the first delivery.
const INSERT_TICKETS = `
  WITH x AS MATERIALIZED (
    SELECT x.*, COALESCE(x.recent_ticket_count, (
             SELECT count(*)::int FROM customers rc JOIN tickets rt ON rt.customer_id = rc.id
              WHERE rc.source = x.source AND rc.external_id = x.customer_external_id AND rt.created_at >= x.repeat_since)) AS recent
      FROM ${unnestOf(TICKET_COLUMNS, 1, 'x')}),
  w AS MATERIALIZED (SELECT * FROM x WHERE x.recent_ticket_count IS NOT NULL OR x.recent < x.decided_below),
  c AS (
    INSERT INTO customers (id, source, external_id, name_enc, email_enc, phone_enc, locale, tier, ai_opt_out)
    SELECT id, source, external_id, name_enc, email_enc, phone_enc, locale, tier::"Tier", ai_opt_out
      FROM ${unnestOf(CUSTOMER_COLUMNS, TICKET_COLUMNS.length + 1, 'cin')}
     WHERE EXISTS (SELECT 1 FROM w
                    WHERE w.source = cin.source AND w.customer_external_id = cin.external_id
                      AND NOT EXISTS (SELECT 1 FROM tickets et WHERE et.source = w.source AND et.external_id = w.external_id))
     ORDER BY ord
    ON CONFLICT (source, external_id) DO UPDATE SET
      name_enc = COALESCE(EXCLUDED.name_enc, customers.name_enc),
      email_enc = COALESCE(EXCLUDED.email_enc, customers.email_enc),
      phone_enc = COALESCE(EXCLUDED.phone_enc, customers.phone_enc),
      locale = COALESCE(EXCLUDED.locale, customers.locale),
      tier = EXCLUDED.tier,
      ai_opt_out = EXCLUDED.ai_opt_out,
      erased_at = NULL,
      updated_at = now()
    RETURNING id, source, external_id),
  t AS (
    INSERT INTO tickets (id, source, external_id, customer_id, channel, subject_enc, callback_url, metadata, status, route,
                         priority, sentiment, complexity, flags, reasons, language, skills, customer_locale, customer_tier,
                         queued_at, human_requested_at, first_response_due_at, resolution_due_at, created_at, updated_at,
                         initial_route, human_request_due_at)
    SELECT x.id, x.source, x.external_id, c.id, x.channel::"Channel", x.subject_enc, x.callback_url, x.metadata::jsonb,
           x.status::"TicketStatus", x.route::"Route", x.priority::"Priority", x.sentiment, x.complexity,
           ${jsonTextArray('x.flags')}, x.reasons::jsonb, x.language, ${jsonTextArray('x.skills')}, x.customer_locale, x.tier::"Tier",
           x.now, x.human_requested_at, x.first_response_due_at, x.resolution_due_at, x.now, x.now,
           x.route::"Route", x.human_request_due_at
      FROM w x JOIN c ON c.source = x.source AND c.external_id = x.customer_external_id
     ORDER BY x.ord
    ON CONFLICT (source, external_id) DO NOTHING
    RETURNING id),
  m AS (
    INSERT INTO messages (id, ticket_id, author, body_enc, created_at)
    SELECT x.message_id, t.id, 'customer'::"MessageAuthor", x.body_enc, x.now FROM t JOIN x ON x.id = t.id),
  d AS (
    INSERT INTO decisions (id, ticket_id, trigger, route, priority, sentiment, complexity, flags, reasons, language,
                           scorer_version, policy_version, created_at, ai_opt_out, recent_ticket_count, customer_tier,
                           customer_locale, channel)
    SELECT x.decision_id, t.id, 'intake', x.route::"Route", x.priority::"Priority", x.sentiment, x.complexity,
           ${jsonTextArray('x.flags')}, x.reasons::jsonb, x.language, x.scorer_version, x.policy_version, x.now,
           x.ai_opt_out, x.recent, x.tier::"Tier", x.customer_locale, x.channel::"Channel"
      FROM t JOIN x ON x.id = t.id),
  e AS (
    INSERT INTO ticket_events (id, ticket_id, type, data, created_at)
    SELECT x.event_id, t.id, x.status, '{"trigger":"intake"}'::jsonb, x.now FROM t JOIN x ON x.id = t.id)
  SELECT x.recent, t.id IS NOT NULL AS created, x.recent_ticket_count IS NULL AND x.recent >= x.decided_below AS recount
    FROM x LEFT JOIN t ON t.id = x.id
   ORDER BY x.ord`;

interface WriteItem {
  row: NewTicketRow;
  cipher: PiiCipher;
}

const bySourceAndId = (a: { source: string; externalId: string }, b: { source: string; externalId: string }) =>
  a.source < b.source ? -1 : a.source > b.source ? 1 : a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0;

interface CustomerValues {
  source: string;
  externalId: string;
  nameEnc: string | null;
  emailEnc: string | null;
  phoneEnc: string | null;
  locale: string | null;
  tier: string;
  aiOptOut: boolean;
}

/**
 * One row per customer: a customer may write twice within a batch, and Postgres refuses to update
 * one row twice in one statement. Later values win as they would have in two statements in a row.
 */
function distinctCustomers(items: WriteItem[]): CustomerValues[] {
  const byKey = new Map<string, CustomerValues>();
  for (const { row, cipher } of items) {
    const c = row.input.customer;
    const enc = (v?: string) => (v ? cipher.encrypt(v) : null);
    const key = `${row.input.source}\n${c.externalId}`;
    const earlier = byKey.get(key);
    byKey.set(key, {
      source: row.input.source,
      externalId: c.externalId,
      nameEnc: enc(c.name) ?? earlier?.nameEnc ?? null,
      emailEnc: enc(c.email) ?? earlier?.emailEnc ?? null,
      phoneEnc: enc(c.phone) ?? earlier?.phoneEnc ?? null,
      locale: c.locale ?? earlier?.locale ?? null,
      tier: c.tier,
      aiOptOut: c.aiOptOut,
    });
  }
  return [...byKey.values()].sort(bySourceAndId);
}

function ticketValues({ row, cipher }: WriteItem): unknown[] {
  const { input, score, decision, now } = row;
  const humanRequested = score.flags.includes('human_requested');
  return [
    row.id, input.source, input.externalId, input.customer.externalId, input.channel,
    input.subject ? cipher.encrypt(input.subject) : null, input.callbackUrl ?? null, JSON.stringify(input.metadata),
    decision.route === 'ai' ? 'ai_queued' : 'human_queued', decision.route,
    decision.priority, score.sentiment, score.complexity, JSON.stringify(score.flags), JSON.stringify(decision.reasons),
    score.language, JSON.stringify(row.skills), input.customer.locale?.toLowerCase() ?? null, input.customer.tier, now,
    humanRequested ? now : null, row.due.firstResponseDueAt, row.due.resolutionDueAt,
    humanRequested ? row.due.humanRequestDueAt : null, randomUUID(), cipher.encrypt(input.body), randomUUID(),
    row.scorerVersion, decision.policyVersion, randomUUID(),
    input.customer.aiOptOut, row.recentTicketCount, row.repeatSince, row.decidedBelow,
  ];
}

/** Transposes rows into one array per column, as unnest() takes them. */
function columnsOf(rows: unknown[][], width: number): unknown[][] {
  const columns: unknown[][] = Array.from({ length: width }, () => new Array(rows.length));
  rows.forEach((r, i) => r.forEach((v, k) => (columns[k][i] = v)));
  return columns;
}

const ticketWriter = batcherPer((pool: Pool) =>
  microBatcher<WriteItem, WriteOutcome>({
    maxItems: MAX_BATCH,
    maxInFlight: MAX_IN_FLIGHT,
    retrySingly: refusedForData,
    async run(items) {
      const ordered = [...items].sort((a, b) => bySourceAndId(a.row.input, b.row.input));
      const customers = distinctCustomers(items).map((c) => [
        randomUUID(), c.source, c.externalId, c.nameEnc, c.emailEnc, c.phoneEnc, c.locale, c.tier, c.aiOptOut,
      ]);
      const { rows } = await pool.query<{ recent: number; created: boolean; recount: boolean }>({
        name: 'intake-insert-tickets',
        text: INSERT_TICKETS,
        values: [...columnsOf(ordered.map(ticketValues), TICKET_COLUMNS.length), ...columnsOf(customers, CUSTOMER_COLUMNS.length)],
      });
      const outcomes = new Map<WriteItem, WriteOutcome>();
      ordered.forEach((item, i) => {
        const { recent, created, recount } = rows[i];
        outcomes.set(item, recount ? { outcome: 'recount', recentTicketCount: recent } : { outcome: created ? 'created' : 'exists' });
      });
      return items.map((item) => outcomes.get(item)!);
    },
  }),
);

/**
 * Counts the customer's recent tickets, upserts the customer and inserts the ticket with its first
 * message, decision and event, in one statement shared with concurrent requests, so one commit.
 * 'exists': a ticket with the same (source, externalId) is already stored, or another delivery of it in
 * the same batch won. 'recount': the count reached `decidedBelow`, so the decision was not written.
 * In both cases nothing was written for this call (a concurrent delivery that loses the race on the ticket
 * may still have refreshed the customer's details with the same values).
 */
export function insertTicket(pool: Pool, cipher: PiiCipher, row: NewTicketRow): Promise<WriteOutcome> {
  return ticketWriter(pool).add({ row, cipher });
}

import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { PiiCipher } from '../privacy/pii-cipher';
import type { RouteDecision } from '../routing';
import type { TicketScore } from '../scoring';
import type { DueTimes } from '../sla';
import type { NewTicket } from './intake.schema';

// Intake is the hottest path: one read and one write statement replace about ten ORM round trips,
// and the single write means a single commit (each commit waits for a WAL flush).

/** Earlier tickets of this customer since `since`: a read, so it costs no commit. */
export async function countRecentTickets(pool: Pool, source: string, customerExternalId: string, since: Date): Promise<number> {
  const { rows } = await pool.query<{ recent: number }>(
    `SELECT count(t.id)::int AS recent
       FROM customers c JOIN tickets t ON t.customer_id = c.id AND t.created_at >= $3
      WHERE c.source = $1 AND c.external_id = $2`,
    [source, customerExternalId, since],
  );
  return rows[0]?.recent ?? 0;
}

export interface NewTicketRow {
  id: string;
  input: NewTicket;
  score: TicketScore;
  decision: RouteDecision;
  skills: string[];
  due: DueTimes;
  scorerVersion: string;
  /** Stored with the decision so a policy can be replayed later (simulation). */
  recentTicketCount: number;
  now: Date;
}

/**
 * Upserts the customer and inserts the ticket with its first message, decision and event in one
 * statement, so one commit. Returns false when a ticket with the same (source, externalId) already
 * exists: then no ticket row was written (the customer's details were refreshed, which is harmless).
 */
export async function insertTicket(pool: Pool, cipher: PiiCipher, row: NewTicketRow): Promise<boolean> {
  const { input, score, decision, now } = row;
  const c = input.customer;
  const enc = (v?: string) => (v ? cipher.encrypt(v) : null);
  const humanRequested = score.flags.includes('human_requested');
  const status = decision.route === 'ai' ? 'ai_queued' : 'human_queued';
  const reasons = JSON.stringify(decision.reasons);
  const { rowCount } = await pool.query(
    `WITH c AS (
       INSERT INTO customers (id, source, external_id, name_enc, email_enc, phone_enc, locale, tier, ai_opt_out)
       VALUES ($4, $2, $30, $31, $32, $33, $34, $19::"Tier", $35)
       ON CONFLICT (source, external_id) DO UPDATE SET
         name_enc = COALESCE(EXCLUDED.name_enc, customers.name_enc),
         email_enc = COALESCE(EXCLUDED.email_enc, customers.email_enc),
         phone_enc = COALESCE(EXCLUDED.phone_enc, customers.phone_enc),
         locale = COALESCE(EXCLUDED.locale, customers.locale),
         tier = EXCLUDED.tier,
         ai_opt_out = EXCLUDED.ai_opt_out,
         erased_at = NULL,
         updated_at = now()
       RETURNING id),
     t AS (
       INSERT INTO tickets (id, source, external_id, customer_id, channel, subject_enc, callback_url, metadata, status, route,
                            priority, sentiment, complexity, flags, reasons, language, skills, customer_locale, customer_tier,
                            queued_at, human_requested_at, first_response_due_at, resolution_due_at, created_at, updated_at,
                            initial_route, human_request_due_at)
       SELECT $1, $2, $3, c.id, $5::"Channel", $6, $7, $8::jsonb, $9::"TicketStatus", $10::"Route",
              $11::"Priority", $12, $13, $14::text[], $15::jsonb, $16, $17::text[], $18, $19::"Tier",
              $20, $21, $22, $23, $20, $20,
              $10::"Route", $36
         FROM c
       ON CONFLICT (source, external_id) DO NOTHING
       RETURNING id),
     m AS (
       INSERT INTO messages (id, ticket_id, author, body_enc, created_at)
       SELECT $24::uuid, id, 'customer'::"MessageAuthor", $25, $20 FROM t),
     d AS (
       INSERT INTO decisions (id, ticket_id, trigger, route, priority, sentiment, complexity, flags, reasons, language,
                              scorer_version, policy_version, created_at, ai_opt_out, recent_ticket_count, customer_tier, customer_locale, channel)
       SELECT $26::uuid, id, 'intake', $10::"Route", $11::"Priority", $12, $13, $14::text[], $15::jsonb, $16, $27, $28, $20, $35, $37,
              $19::"Tier", $18, $5::"Channel" FROM t),
     e AS (
       INSERT INTO ticket_events (id, ticket_id, type, data, created_at)
       SELECT $29::uuid, id, $9, '{"trigger":"intake"}'::jsonb, $20 FROM t)
     SELECT id FROM t`,
    [
      row.id, input.source, input.externalId, randomUUID(), input.channel,
      input.subject ? cipher.encrypt(input.subject) : null, input.callbackUrl ?? null, JSON.stringify(input.metadata), status, decision.route,
      decision.priority, score.sentiment, score.complexity, score.flags, reasons, score.language, row.skills,
      input.customer.locale?.toLowerCase() ?? null, input.customer.tier,
      now, humanRequested ? now : null, row.due.firstResponseDueAt, row.due.resolutionDueAt,
      randomUUID(), cipher.encrypt(input.body),
      randomUUID(), row.scorerVersion, decision.policyVersion,
      randomUUID(),
      c.externalId, enc(c.name), enc(c.email), enc(c.phone), c.locale ?? null, c.aiOptOut,
      humanRequested ? row.due.humanRequestDueAt : null, row.recentTicketCount,
    ],
  );
  return rowCount === 1;
}

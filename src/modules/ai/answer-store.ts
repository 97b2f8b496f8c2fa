import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Ticket } from '@prisma/client';
import { MESSAGE_EVENT, messagePayload } from '../delivery';
import type { PiiCipher } from '../privacy/pii-cipher';
import type { AiAnswer } from './provider';
import type { ReviewReason } from './reviews';

// The AI worker's own statements, on the plain pg pool like intake and claims: per job, one read
// and one write, each a single round trip, prepared once per connection (named). Through Prisma the
// same job took nine client calls, each compiled to a query plan in JS, and an interactive
// transaction of seven round trips: most of the worker's CPU and of a job's time.

/** What answering a ticket needs of it, and what escalating it needs (see EscalateArgs). */
export type TicketForAnswer = Pick<
  Ticket,
  | 'id' | 'source' | 'externalId' | 'callbackUrl' | 'subjectEnc' | 'status' | 'route' | 'priority' | 'sentiment' | 'complexity'
  | 'flags' | 'reasons' | 'language' | 'aiTurns' | 'firstResponseDueAt' | 'updatedAt'
> & { messages: { author: string; internal: boolean; bodyEnc: string | null }[] };

const READ_TICKET = `
  SELECT t.id, t.source, t.external_id AS "externalId", t.callback_url AS "callbackUrl", t.subject_enc AS "subjectEnc",
         t.status, t.route, t.priority, t.sentiment, t.complexity, t.flags, t.reasons, t.language, t.ai_turns AS "aiTurns",
         t.first_response_due_at AS "firstResponseDueAt", t.updated_at AS "updatedAt",
         coalesce((SELECT json_agg(json_build_object('author', m.author, 'internal', m.internal, 'bodyEnc', m.body_enc) ORDER BY m.created_at, m.id)
                     FROM messages m WHERE m.ticket_id = t.id), '[]'::json) AS messages
    FROM tickets t
   WHERE t.id = $1`;

/** The ticket with its thread (oldest first), or null. */
export async function readTicketForAnswer(pool: Pool, ticketId: string): Promise<TicketForAnswer | null> {
  const { rows } = await pool.query<TicketForAnswer>({ name: 'ai-read-ticket', text: READ_TICKET, values: [ticketId] });
  return rows[0] ?? null;
}

// One statement, so one implicit transaction: the ticket moves to ai_answered only if it is still the
// ticket that was read (status and updated_at), and the answer, its event, its review pick and its
// outbox row exist exactly when it did move. Every insert reads `moved`, so a stale job inserts nothing.
const SAVE_ANSWER = `
  WITH moved AS (
    UPDATE tickets
       SET status = 'ai_answered', ai_turns = ai_turns + 1, ai_answered_at = $3, updated_at = $3,
           first_responded_at = coalesce(first_responded_at, $3)
     WHERE id = $1 AND status = 'ai_queued' AND updated_at = $2
    RETURNING id
  ), message AS (
    INSERT INTO messages (id, ticket_id, author, body_enc, disclosure, sources, confidence, created_at)
    SELECT $4, id, 'ai', $5, $6, $7::jsonb, $8, $3 FROM moved
    RETURNING id
  ), event AS (
    INSERT INTO ticket_events (id, ticket_id, type, data, created_at)
    SELECT $9, id, 'ai_answered', $10::jsonb, $3 FROM moved
  ), review AS (
    INSERT INTO ai_reviews (id, ticket_id, message_id, reason, confidence, created_at)
    SELECT $11, $1, id, $12, $8, $3 FROM message WHERE $12::text IS NOT NULL
  ), delivery AS (
    INSERT INTO deliveries (id, ticket_id, message_id, event, url, payload_enc, created_at, updated_at)
    SELECT $13, id, $4, $14, $15, $16, $3, $3 FROM moved WHERE $15::text IS NOT NULL
    RETURNING id
  )
  SELECT (SELECT count(*) FROM moved)::int AS moved, (SELECT id FROM delivery) AS "deliveryId"`;

export interface SavedAnswer {
  /** The outbox row to enqueue after the commit, or null when the ticket has no callback. */
  deliveryId: string | null;
}

/**
 * Stores the AI's answer (encrypted, with its disclosure), the audit event, the review pick and the
 * delivery outbox row, and moves the ticket to ai_answered, atomically. Returns null, changing
 * nothing, when the ticket changed since `ticket` was read (a follow-up, a replayed job).
 */
export async function saveAnswer(
  pool: Pool,
  cipher: PiiCipher,
  ticket: Pick<TicketForAnswer, 'id' | 'source' | 'externalId' | 'callbackUrl' | 'updatedAt'>,
  answer: AiAnswer & { provider: string; disclosure: string; review: ReviewReason | null },
  now: Date,
): Promise<SavedAnswer | null> {
  const messageId = randomUUID();
  const payload = messagePayload(ticket, { id: messageId, author: 'ai', disclosure: answer.disclosure, createdAt: now }, answer.text);
  const { rows } = await pool.query<{ moved: number; deliveryId: string | null }>({
    name: 'ai-save-answer',
    text: SAVE_ANSWER,
    values: [
      ticket.id,
      ticket.updatedAt,
      now,
      messageId,
      cipher.encrypt(answer.text),
      answer.disclosure,
      JSON.stringify(answer.sources),
      answer.confidence,
      randomUUID(),
      JSON.stringify({ provider: answer.provider, confidence: answer.confidence, sources: answer.sources.map((s) => s.slug) }),
      randomUUID(),
      answer.review,
      randomUUID(),
      MESSAGE_EVENT,
      ticket.callbackUrl,
      ticket.callbackUrl ? cipher.encrypt(JSON.stringify(payload)) : null,
    ],
  });
  return rows[0].moved === 0 ? null : { deliveryId: rows[0].deliveryId };
}

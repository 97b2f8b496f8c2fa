import { randomUUID } from 'node:crypto';
import type { Ticket, TicketStatus } from '@prisma/client';
import type { Deps } from '../../shared/deps';
import type { Tx } from '../../shared/db/prisma';
import { SCORER_VERSION } from '../scoring';
import type { Reason } from '../routing';
import { computeDueTimes, loadSlaPolicies } from '../sla';
import { enqueueDelivery, messagePayload, MESSAGE_EVENT, recordDelivery } from '../delivery';
import { aiDisclosure, escalationNotice } from './disclosure';
import type { AiAnswer } from './provider';

export type EscalationCode = 'AI_LOW_CONFIDENCE' | 'AI_FAILED' | 'AI_ANSWER_REJECTED';

/** What an escalation reads of the ticket: a Prisma Ticket or the AI worker's own read of it. */
export type EscalatedTicket = Pick<
  Ticket,
  'id' | 'source' | 'externalId' | 'callbackUrl' | 'status' | 'route' | 'priority' | 'sentiment' | 'complexity' | 'flags' | 'reasons' | 'language' | 'aiTurns' | 'firstResponseDueAt' | 'updatedAt'
>;

export interface EscalateArgs {
  reason: Reason & { code: EscalationCode };
  /** The ticket as read by the caller: the move happens only if it is unchanged since. */
  ticket: EscalatedTicket;
  /** Statuses the move may start from. */
  from: TicketStatus[];
  /** The AI's low-confidence answer, kept for the agent and never delivered (agent assist). */
  draft?: AiAnswer;
}

/**
 * Moves a ticket from the AI to the human queue with a decision that says why, promises a person
 * by a due time, and tells the customer so. Returns false, changing nothing, when the ticket moved
 * on meanwhile (a duplicate job, a follow-up): the guard makes replays harmless.
 */
export async function escalateToHuman(deps: Deps, args: EscalateArgs): Promise<boolean> {
  const { ticket, reason } = args;
  if (!args.from.includes(ticket.status)) return false;
  const now = new Date();
  const policies = await loadSlaPolicies(deps.db);
  // An AI-routed ticket's due times were the AI's promise; a person gets the human targets from now.
  const due = ticket.route === 'ai' || ticket.status === 'resolved' ? computeDueTimes(ticket.priority, now, policies) : null;
  const draft = args.draft?.text.trim() ? args.draft : null;
  const noticeAt = noticeTime(now);
  const noticeId = randomUUID();
  const notice = escalationNotice(ticket.language, due?.firstResponseDueAt ?? ticket.firstResponseDueAt ?? now, now);
  const payload = ticket.callbackUrl ? messagePayload(ticket, { id: noticeId, author: 'system', createdAt: noticeAt }, notice) : null;
  const { rows } = await deps.pool.query<{ moved: number; deliveryId: string | null }>({
    name: 'ai-escalate',
    text: ESCALATE,
    values: [
      ticket.id, ticket.status, ticket.updatedAt, now, JSON.stringify(reason), ticket.aiTurns > 0,
      due?.firstResponseDueAt ?? null, due?.resolutionDueAt ?? null,
      randomUUID(), SCORER_VERSION, deps.policies.current().version,
      randomUUID(), JSON.stringify({ trigger: 'ai', from: ticket.status, reason: reason.code }),
      draft ? randomUUID() : null, draft ? deps.cipher.encrypt(draft.text) : null, draft ? JSON.stringify(draft.sources) : null, draft?.confidence ?? null,
      noticeId, deps.cipher.encrypt(notice), noticeAt,
      randomUUID(), MESSAGE_EVENT, ticket.callbackUrl, payload ? deps.cipher.encrypt(JSON.stringify(payload)) : null,
      // Never sent, but an AI wrote it, so it says so wherever it is shown (agent assist, the ticket's thread).
      draft ? aiDisclosure(ticket.language) : null,
    ],
  });
  if (rows[0].moved === 0) return false;
  await enqueueDelivery(deps, rows[0].deliveryId);
  return true;
}

// One statement on the pg pool, so one implicit transaction: the move happens only if the ticket is
// still as the caller read it (status and updated_at), and the decision, the event, the draft, the
// notice and its outbox row exist exactly when it moved (each insert reads `moved`). Through Prisma
// this was an interactive transaction of five to seven round trips, each query compiled in JS.
const ESCALATE = `
  WITH moved AS (
    UPDATE tickets
       SET status = 'human_queued', route = 'human', reasons = reasons || jsonb_build_array($5::jsonb),
           queued_at = $4, assigned_agent_id = NULL, assigned_at = NULL, resolved_at = NULL, updated_at = $4,
           escalated_after_ai = escalated_after_ai OR $6,
           first_response_due_at = coalesce($7, first_response_due_at), resolution_due_at = coalesce($8, resolution_due_at)
     WHERE id = $1 AND status = $2::"TicketStatus" AND updated_at = $3
    RETURNING id, priority, sentiment, complexity, flags, language
  ), decision AS (
    INSERT INTO decisions (id, ticket_id, trigger, route, priority, sentiment, complexity, flags, reasons, language, scorer_version, policy_version, created_at)
    SELECT $9, id, 'ai', 'human', priority, sentiment, complexity, flags, jsonb_build_array($5::jsonb), language, $10, $11, $4 FROM moved
  ), event AS (
    INSERT INTO ticket_events (id, ticket_id, type, data, created_at)
    SELECT $12, id, 'human_queued', $13::jsonb, $4 FROM moved
  ), draft AS (
    INSERT INTO messages (id, ticket_id, author, internal, body_enc, sources, confidence, disclosure, created_at)
    SELECT $14, id, 'ai', true, $15, $16::jsonb, $17, $25, $4 FROM moved WHERE $14::uuid IS NOT NULL
  ), notice AS (
    INSERT INTO messages (id, ticket_id, author, body_enc, created_at)
    SELECT $18, id, 'system', $19, $20 FROM moved
  ), delivery AS (
    INSERT INTO deliveries (id, ticket_id, message_id, event, url, payload_enc, created_at, updated_at)
    SELECT $21, id, $18, $22, $23, $24, $4, $4 FROM moved WHERE $23::text IS NOT NULL
    RETURNING id
  )
  SELECT (SELECT count(*) FROM moved)::int AS moved, (SELECT id FROM delivery) AS "deliveryId"`;

/** The notice comes after the customer's message of the same instant, so the thread reads in order. */
const noticeTime = (now: Date) => new Date(now.getTime() + 1);

/**
 * Tells the customer that a person now has their ticket and by when; used by a follow-up that moved
 * the ticket to the human queue, inside that transaction (after its update), so nobody waits in
 * silence even if the process dies right after the commit. Returns the outbox row for
 * enqueueDelivery after the commit.
 */
export async function recordEscalationNotice(tx: Tx, deps: Pick<Deps, 'cipher'>, ticketId: string, now: Date): Promise<string | null> {
  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } });
  const body = escalationNotice(ticket.language, ticket.firstResponseDueAt ?? now, now);
  const notice = await tx.message.create({ data: { ticketId, author: 'system', bodyEnc: deps.cipher.encrypt(body), createdAt: noticeTime(now) } });
  return recordDelivery(tx, deps.cipher, ticket, notice, body);
}

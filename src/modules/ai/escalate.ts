import type { Ticket, TicketStatus } from '@prisma/client';
import type { Deps } from '../../shared/deps';
import type { Tx } from '../../shared/db/prisma';
import { SCORER_VERSION } from '../scoring';
import type { Reason } from '../routing';
import { computeDueTimes, loadSlaPolicies } from '../sla';
import { enqueueDelivery, recordDelivery } from '../delivery';
import { escalationNotice } from './disclosure';
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
  const escalated = await deps.db.$transaction(async (tx) => {
    // An AI-routed ticket's due times were the AI's promise; a person gets the human targets from now.
    const due = ticket.route === 'ai' || ticket.status === 'resolved' ? computeDueTimes(ticket.priority, now, policies) : null;
    const moved = await tx.ticket.updateMany({
      where: { id: ticket.id, status: ticket.status, updatedAt: ticket.updatedAt },
      data: {
        status: 'human_queued',
        route: 'human',
        reasons: [...((ticket.reasons as unknown as Reason[]) ?? []), reason] as object[],
        queuedAt: now,
        assignedAgentId: null,
        assignedAt: null,
        resolvedAt: null,
        updatedAt: now,
        ...(ticket.aiTurns > 0 ? { escalatedAfterAi: true } : {}),
        ...(due ? { firstResponseDueAt: due.firstResponseDueAt, resolutionDueAt: due.resolutionDueAt } : {}),
      },
    });
    if (moved.count === 0) return null;
    await recordEscalation(tx, ticket, reason, deps.policies.current().version, now);
    if (args.draft && args.draft.text.trim()) {
      await tx.message.create({
        data: {
          ticketId: ticket.id,
          author: 'ai',
          internal: true,
          bodyEnc: deps.cipher.encrypt(args.draft.text),
          sources: args.draft.sources as object[],
          confidence: args.draft.confidence,
          createdAt: now,
        },
      });
    }
    const dueAt = due?.firstResponseDueAt ?? ticket.firstResponseDueAt ?? now;
    return { deliveryId: await createNotice(tx, deps, ticket, dueAt, now, new Date(now.getTime() + 1)) };
  });
  if (!escalated) return false;
  await enqueueDelivery(deps, escalated.deliveryId);
  return true;
}

/** The customer-visible escalation notice and its outbox row, in the caller's transaction. */
async function createNotice(tx: Tx, deps: Pick<Deps, 'cipher'>, ticket: EscalatedTicket, dueAt: Date, now: Date, createdAt: Date): Promise<string | null> {
  const body = escalationNotice(ticket.language, dueAt, now);
  const notice = await tx.message.create({ data: { ticketId: ticket.id, author: 'system', bodyEnc: deps.cipher.encrypt(body), createdAt } });
  return recordDelivery(tx, deps.cipher, ticket, notice, body);
}

async function recordEscalation(tx: Tx, ticket: EscalatedTicket, reason: Reason, policyVersion: string, now: Date): Promise<void> {
  await tx.decision.create({
    data: {
      ticketId: ticket.id,
      trigger: 'ai',
      route: 'human',
      priority: ticket.priority,
      sentiment: ticket.sentiment,
      complexity: ticket.complexity,
      flags: ticket.flags,
      reasons: [reason] as object[],
      language: ticket.language,
      scorerVersion: SCORER_VERSION,
      policyVersion,
      createdAt: now,
    },
  });
  await tx.ticketEvent.create({ data: { ticketId: ticket.id, type: 'human_queued', data: { trigger: 'ai', from: ticket.status, reason: reason.code }, createdAt: now } });
}

/**
 * Tells the customer that a person now has their ticket and by when; used by a follow-up that moved
 * the ticket to the human queue, inside that transaction (after its update), so nobody waits in
 * silence even if the process dies right after the commit. Returns the outbox row for
 * enqueueDelivery after the commit.
 */
export async function recordEscalationNotice(tx: Tx, deps: Pick<Deps, 'cipher'>, ticketId: string, now: Date): Promise<string | null> {
  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } });
  // After the customer's message of the same instant, so the thread reads in order.
  return createNotice(tx, deps, ticket, ticket.firstResponseDueAt ?? now, now, new Date(now.getTime() + 1));
}

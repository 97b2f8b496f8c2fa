import type { Ticket, TicketStatus } from '@prisma/client';
import type { Deps } from '../../shared/deps';
import type { Tx } from '../../shared/db/prisma';
import { SCORER_VERSION } from '../scoring';
import type { Reason } from '../routing';
import { computeDueTimes, loadSlaPolicies } from '../sla';
import { deliverMessage } from '../delivery';
import { escalationNotice } from './disclosure';
import type { AiAnswer } from './provider';

export type EscalationCode = 'AI_LOW_CONFIDENCE' | 'AI_FAILED' | 'AI_ANSWER_REJECTED';

export interface EscalateArgs {
  reason: Reason & { code: EscalationCode };
  /** The ticket as read by the caller: the move happens only if it is unchanged since. */
  ticket: Ticket;
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
  const noticeId = await deps.db.$transaction(async (tx) => {
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
    const notice = await tx.message.create({
      data: { ticketId: ticket.id, author: 'system', bodyEnc: deps.cipher.encrypt(escalationNotice(ticket.language, dueAt, now)), createdAt: new Date(now.getTime() + 1) },
    });
    return notice.id;
  });
  if (!noticeId) return false;
  await deliverMessage(deps, { ticketId: ticket.id, messageId: noticeId });
  return true;
}

async function recordEscalation(tx: Tx, ticket: Ticket, reason: Reason, policyVersion: string, now: Date): Promise<void> {
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
 * Tells the customer that a person now has their ticket and by when; used after a follow-up moved
 * the ticket to the human queue, so nobody waits in silence.
 */
export async function sendEscalationNotice(deps: Deps, ticketId: string): Promise<void> {
  const ticket = await deps.db.ticket.findUniqueOrThrow({ where: { id: ticketId } });
  const now = new Date();
  const notice = await deps.db.message.create({
    data: { ticketId, author: 'system', bodyEnc: deps.cipher.encrypt(escalationNotice(ticket.language, ticket.firstResponseDueAt ?? now, now)), createdAt: now },
  });
  await deliverMessage(deps, { ticketId, messageId: notice.id });
}

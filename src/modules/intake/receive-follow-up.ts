import type { TicketStatus } from '@prisma/client';
import type { Deps } from '../../shared/deps';
import { TX_OPTIONS } from '../../shared/db/prisma';
import { SCORER_VERSION, type TicketScore } from '../scoring';
import { decideRoute, requiredSkills, type Reason, type RouteDecision } from '../routing';
import { computeDueTimes, loadSlaPolicies } from '../sla';
import { countDecision } from '../../shared/metrics';
import { enqueueAiAnswer, type CallContext } from './receive-ticket';
import { scoreMessage } from './score-message';
import { recordEscalationNotice } from '../ai/escalate';
import { enqueueDelivery } from '../delivery';

/** After this many AI answers the next follow-up goes to a person: the AI is clearly not solving it. */
export const MAX_AI_TURNS = 2;

/**
 * A customer's follow-up: stored, re-scored with the thread, and routed again where the state
 * allows it. Follow-ups to one ticket take its row lock first, so concurrent ones are applied one
 * after another, each seeing the messages before it, and none is refused; a race with the AI
 * worker ends the same way, since its writes wait for the lock too.
 */
export async function receiveFollowUp(deps: Deps, ticketId: string, body: string, ctx: CallContext = {}): Promise<void> {
  const { db, cipher } = deps;
  const policy = deps.policies.current();
  // Read before the lock: a cache miss must not take a second pooled connection while this one holds it.
  const slaPolicies = await loadSlaPolicies(db);
  // Follow-ups to one ticket queue for its lock, each holding a pooled connection: Prisma's defaults are too tight.
  const applied = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM tickets WHERE id = ${ticketId}::uuid FOR UPDATE`;
    const ticket = await tx.ticket.findUniqueOrThrow({
      where: { id: ticketId },
      include: { messages: { orderBy: { createdAt: 'asc' } }, customer: true },
    });
    const history = ticket.messages
      .filter((m) => !m.internal && m.bodyEnc && m.author !== 'system')
      .map((m) => ({ author: m.author as 'customer' | 'ai' | 'agent', body: cipher.decrypt(m.bodyEnc!) }));
    const score = scoreMessage('follow_up', { body, history });
    const now = new Date();
    const humanRequested = score.flags.includes('human_requested');
    // The human-request clock starts at the first ask and is not restarted by later ones.
    const humanRequestDueAt =
      humanRequested && !ticket.humanRequestedAt ? computeDueTimes(ticket.priority, now, slaPolicies).humanRequestDueAt : null;
    const plan = planFollowUp(ticket.status, ticket.aiTurns, score, () =>
      decideRoute(score, { aiOptOut: ticket.customer.aiOptOut, tier: ticket.customerTier, recentTicketCount: 0 }, policy),
    );

    await tx.ticket.update({
      where: { id: ticketId },
      data: { updatedAt: now, ...(humanRequestDueAt ? { humanRequestedAt: now, humanRequestDueAt } : {}) },
    });
    await tx.message.create({ data: { ticketId, author: 'customer', bodyEnc: cipher.encrypt(body), createdAt: now } });
    if (!plan) {
      await tx.ticketEvent.create({ data: { ticketId, type: 'customer_message', createdAt: now } });
      return { ticket, plan, noticeDelivery: null };
    }
    const { decision, status } = plan;
    const merged = [...new Set([...ticket.flags, ...score.flags])];
    const reopening = ticket.status === 'resolved';
    const due = reopening || status === 'human_queued' ? computeDueTimes(decision.priority, now, slaPolicies) : null;
    await tx.ticket.update({
      where: { id: ticketId },
      data: {
        status,
        route: status === 'ai_queued' ? 'ai' : 'human',
        priority: decision.priority,
        sentiment: score.sentiment,
        complexity: score.complexity,
        flags: merged,
        reasons: decision.reasons as object[],
        language: score.language === 'und' ? ticket.language : score.language,
        skills: [...new Set([...ticket.skills, ...requiredSkills(score)])].sort(),
        queuedAt: now,
        assignedAgentId: null,
        assignedAt: null,
        ...(ticket.status === 'ai_answered' && status === 'human_queued' ? { escalatedAfterAi: true } : {}),
        ...(reopening ? { resolvedAt: null } : {}),
        // A human-routed follow-up promises a person by a due time counted from now, unless an earlier promise stands.
        ...(due && (reopening || !ticket.firstRespondedAt || ticket.route === 'ai')
          ? { firstResponseDueAt: due.firstResponseDueAt, resolutionDueAt: due.resolutionDueAt }
          : {}),
      },
    });
    await tx.decision.create({
      data: {
        ticketId,
        trigger: 'follow_up',
        route: status === 'ai_queued' ? 'ai' : 'human',
        priority: decision.priority,
        sentiment: score.sentiment,
        complexity: score.complexity,
        flags: score.flags,
        reasons: decision.reasons as object[],
        language: score.language,
        scorerVersion: SCORER_VERSION,
        policyVersion: decision.policyVersion,
        createdAt: now,
      },
    });
    await tx.ticketEvent.create({ data: { ticketId, type: status, data: { trigger: 'follow_up', from: ticket.status }, createdAt: now } });
    // Nobody waits in silence: the customer hears that a person has the ticket and by when.
    return { ticket, plan, noticeDelivery: status === 'human_queued' ? await recordEscalationNotice(tx, deps, ticketId, now) : null };
  }, TX_OPTIONS);
  const { ticket, plan, noticeDelivery } = applied;
  if (plan) countDecision('follow_up', plan.decision);
  if (plan?.status === 'ai_queued') await enqueueAiAnswer(deps, ticket, ctx.requestId);
  await enqueueDelivery(deps, noticeDelivery);
}

interface FollowUpPlan {
  status: TicketStatus;
  decision: RouteDecision;
}

/**
 * What a follow-up does to the route. Tickets with a person (queued or assigned) stay with them;
 * a reply to an AI answer escalates on a request for a human, dissatisfaction or too many turns.
 */
export function planFollowUp(status: TicketStatus, aiTurns: number, score: TicketScore, decide: () => RouteDecision): FollowUpPlan | null {
  if (status === 'human_queued' || status === 'assigned') return null;
  const decision = decide();
  if (status === 'ai_queued') {
    // The pending AI job will see this message; only a move to a person needs a new decision.
    return decision.route === 'human' ? { status: 'human_queued', decision } : null;
  }
  const extra: Reason[] = [];
  if (status === 'ai_answered') {
    if (score.dissatisfied) extra.push({ code: 'CUSTOMER_DISSATISFIED', detail: 'The customer says the AI answer did not help.' });
    if (aiTurns >= MAX_AI_TURNS) extra.push({ code: 'CUSTOMER_DISSATISFIED', detail: `The AI already answered ${aiTurns} times.` });
  }
  if (extra.length > 0) {
    const reasons = decision.route === 'human' ? [...decision.reasons, ...extra] : extra;
    return { status: 'human_queued', decision: { ...decision, route: 'human', reasons } };
  }
  return { status: decision.route === 'human' ? 'human_queued' : 'ai_queued', decision };
}

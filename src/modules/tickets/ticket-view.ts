import type { Decision, Message, Ticket, TicketEvent } from '@prisma/client';
import type { PiiCipher } from '../privacy/pii-cipher';

type FullTicket = Ticket & { messages: Message[]; decisions: Decision[]; events: TicketEvent[] };

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The fields the intake answer is made of: a stored ticket, or the one intake just wrote. */
export type TicketSummarySource = Pick<
  Ticket,
  'id' | 'source' | 'externalId' | 'status' | 'route' | 'priority' | 'sentiment' | 'complexity' | 'flags' | 'language' | 'skills' | 'firstResponseDueAt' | 'resolutionDueAt' | 'createdAt'
> & { reasons: unknown };

/** The intake answer: what the helpdesk needs to know about the routing decision. */
export function ticketSummary(t: TicketSummarySource) {
  return {
    id: t.id,
    source: t.source,
    externalId: t.externalId,
    status: t.status,
    route: t.route,
    priority: t.priority,
    scores: { sentiment: t.sentiment, complexity: t.complexity },
    flags: t.flags,
    reasons: t.reasons,
    language: t.language,
    skills: t.skills,
    sla: { firstResponseDueAt: iso(t.firstResponseDueAt), resolutionDueAt: iso(t.resolutionDueAt) },
    createdAt: t.createdAt.toISOString(),
  };
}

/** `GET /v1/tickets/{id}`: the summary plus the thread, the assignment and every decision. */
export function ticketDetail(t: FullTicket, cipher: PiiCipher, opts: { includeInternal: boolean }) {
  const shown = t.messages.filter((m) => opts.includeInternal || !m.internal);
  return {
    ...ticketSummary(t),
    channel: t.channel,
    subject: t.subjectEnc ? cipher.decrypt(t.subjectEnc) : null,
    metadata: t.metadata,
    assignedAgentId: t.assignedAgentId,
    firstRespondedAt: iso(t.firstRespondedAt),
    resolvedAt: iso(t.resolvedAt),
    updatedAt: t.updatedAt.toISOString(),
    // The contract's thread holds what a customer, an AI or an agent wrote; the notices Handoff sends by
    // itself (a person will answer by …) are delivered the same way but listed apart.
    messages: shown
      .filter((m) => m.author !== 'system')
      .map((m) => ({
        id: m.id,
        author: m.author,
        body: m.bodyEnc ? cipher.decrypt(m.bodyEnc) : null,
        ...(m.disclosure ? { disclosure: m.disclosure } : {}),
        ...(m.internal ? { internal: true } : {}),
        ...(m.sources ? { sources: m.sources } : {}),
        ...(m.confidence !== null ? { confidence: m.confidence } : {}),
        createdAt: m.createdAt.toISOString(),
      })),
    notices: shown
      .filter((m) => m.author === 'system')
      .map((m) => ({ id: m.id, body: m.bodyEnc ? cipher.decrypt(m.bodyEnc) : null, createdAt: m.createdAt.toISOString() })),
    decisions: t.decisions.map((d) => ({
      id: d.id,
      trigger: d.trigger,
      route: d.route,
      priority: d.priority,
      scores: { sentiment: d.sentiment, complexity: d.complexity },
      flags: d.flags,
      reasons: d.reasons,
      language: d.language,
      scorerVersion: d.scorerVersion,
      policyVersion: d.policyVersion,
      createdAt: d.createdAt.toISOString(),
    })),
    events: t.events.map((e) => ({ id: e.id, type: e.type, agentId: e.agentId, data: e.data, createdAt: e.createdAt.toISOString() })),
  };
}

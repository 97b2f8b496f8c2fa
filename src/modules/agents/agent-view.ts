import type { Agent, Ticket } from '@prisma/client';
import { ticketSummary } from '../tickets/ticket-view';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** An agent as the API shows it; `activeTickets` is its load against `capacity`. */
export function agentView(a: Agent, activeTickets?: number) {
  return {
    id: a.id,
    name: a.name,
    email: a.email,
    skills: a.skills,
    languages: a.languages,
    capacity: a.capacity,
    status: a.status,
    ...(activeTickets !== undefined ? { activeTickets } : {}),
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** A held ticket without personal data: enough for a work list, the text comes from GET /v1/tickets/{id}. */
export function assignmentView(t: Ticket) {
  return {
    ...ticketSummary(t),
    assignedAgentId: t.assignedAgentId,
    assignedAt: iso(t.assignedAt),
    firstRespondedAt: iso(t.firstRespondedAt),
    resolvedAt: iso(t.resolvedAt),
    updatedAt: t.updatedAt.toISOString(),
  };
}

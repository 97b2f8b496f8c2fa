import type { Ticket } from '@prisma/client';
import { AppError } from '../../shared/errors/app-error';
import type { Principal } from '../auth/principal';

/** Who may read a ticket: admin, supervisor, the webhook of its source, or the agent holding it. */
export function assertCanRead(principal: Principal, ticket: Pick<Ticket, 'source' | 'assignedAgentId'>): void {
  switch (principal.role) {
    case 'admin':
    case 'supervisor':
      return;
    case 'webhook':
      if (principal.source === ticket.source) return;
      throw new AppError('FORBIDDEN', 'This key may only read tickets of its own source.');
    case 'agent':
      if (principal.agentId && principal.agentId === ticket.assignedAgentId) return;
      throw new AppError('FORBIDDEN', 'Agents may only read tickets assigned to them.');
  }
}

/** Webhook keys post only for their own source. */
export function assertCanWriteSource(principal: Principal, source: string): void {
  if (principal.role === 'admin') return;
  if (principal.role === 'webhook' && principal.source === source) return;
  throw new AppError('FORBIDDEN', `This key may not post tickets for source '${source}'.`);
}

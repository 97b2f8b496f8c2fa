import { Router } from 'express';
import type { Deps } from '../../shared/deps';
import { notFound } from '../../shared/errors/app-error';
import { requireRole } from '../auth/authenticate';
import { recordAudit } from '../audit/audit';
import { assertCanRead } from './ticket-access';
import { findFullTicket } from './ticket.repository';
import { ticketDetail } from './ticket-view';

export function ticketsRouter(deps: Deps): Router {
  const router = Router();

  router.get('/v1/tickets/:id', requireRole('supervisor', 'webhook', 'agent'), async (req, res) => {
    const ticket = await findFullTicket(deps.db, (req.params.id as string));
    if (!ticket) throw notFound('Ticket');
    const principal = req.principal!;
    assertCanRead(principal, ticket);
    // Every person who sees a customer's words is on record; the helpdesk reading its own ticket is not a person.
    if (principal.role !== 'webhook') {
      await recordAudit(deps.db, principal, 'ticket.read_personal_data', 'ticket', ticket.id, principal.agentId ? { agentId: principal.agentId } : {});
    }
    res.json(ticketDetail(ticket, deps.cipher, { includeInternal: principal.role !== 'webhook' }));
  });

  return router;
}

import { Router } from 'express';
import type { Deps } from '../../shared/deps';
import { notFound } from '../../shared/errors/app-error';
import { requireRole } from '../auth/authenticate';
import { assertCanWriteSource } from '../tickets/ticket-access';
import { findFullTicket } from '../tickets/ticket.repository';
import { ticketDetail, ticketSummary } from '../tickets/ticket-view';
import { followUpSchema, newTicketSchema } from './intake.schema';
import { receiveTicket } from './receive-ticket';
import { receiveFollowUp } from './receive-follow-up';
import { assertCallbackAllowed } from './callback-url';

export function intakeRouter(deps: Deps): Router {
  const router = Router();

  router.post('/v1/tickets', requireRole('webhook'), async (req, res) => {
    const input = newTicketSchema.parse(req.body);
    assertCanWriteSource(req.principal!, input.source);
    if (input.callbackUrl) await assertCallbackAllowed(input.callbackUrl, deps.config.callbackAllowedHosts);
    const { created, ticket } = await receiveTicket(deps, input, { requestId: String(req.id) });
    res.status(created ? 202 : 200).json(ticketSummary(ticket));
  });

  router.post('/v1/tickets/:id/messages', requireRole('webhook'), async (req, res) => {
    const input = followUpSchema.parse(req.body);
    const current = await findFullTicket(deps.db, (req.params.id as string));
    if (!current) throw notFound('Ticket');
    assertCanWriteSource(req.principal!, current.source);
    await receiveFollowUp(deps, current.id, input.body, { requestId: String(req.id) });
    const ticket = await findFullTicket(deps.db, current.id);
    res.json(ticketDetail(ticket!, deps.cipher, { includeInternal: false }));
  });

  return router;
}

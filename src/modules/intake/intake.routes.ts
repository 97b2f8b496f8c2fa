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
import { verifySignature } from '../sources';
import { uuid } from '../../shared/http/validation';

export function intakeRouter(deps: Deps): Router {
  const router = Router();

  // A webhook key speaks for its own source; an admin for the one it names.
  const signedForBody = verifySignature(deps, {
    sourceOf: (req) => req.principal!.source ?? (typeof req.body?.source === 'string' ? req.body.source : undefined),
  });
  // Follow-ups have no idempotency key of their own, so a replayed signed request is detected instead.
  const signedForTicket = verifySignature(deps, {
    sourceOf: async (req) => {
      if (req.principal!.source) return req.principal!.source;
      const id = req.params.id as string;
      if (!uuid.safeParse(id).success) return undefined;
      return (await deps.db.ticket.findUnique({ where: { id }, select: { source: true } }))?.source;
    },
    detectReplays: true,
  });

  router.post('/v1/tickets', requireRole('webhook'), signedForBody, async (req, res) => {
    const input = newTicketSchema.parse(req.body);
    assertCanWriteSource(req.principal!, input.source);
    if (input.callbackUrl) await assertCallbackAllowed(input.callbackUrl, deps.config.callbackAllowedHosts);
    const { created, ticket } = await receiveTicket(deps, input, { requestId: String(req.id) });
    res.status(created ? 202 : 200).json(ticketSummary(ticket));
  });

  router.post('/v1/tickets/:id/messages', requireRole('webhook'), signedForTicket, async (req, res) => {
    const input = followUpSchema.parse(req.body);
    const current = await findFullTicket(deps.db, (req.params.id as string));
    if (!current) throw notFound('Ticket');
    assertCanWriteSource(req.principal!, current.source);
    // The same signed delivery again: answer as before, store nothing.
    if (!req.webhookReplay) await receiveFollowUp(deps, current.id, input.body, { requestId: String(req.id) });
    const ticket = await findFullTicket(deps.db, current.id);
    res.json(ticketDetail(ticket!, deps.cipher, { includeInternal: false }));
  });

  return router;
}

import { Router } from 'express';
import type { Deps } from '../../../shared/deps';
import { AppError } from '../../../shared/errors/app-error';
import { requireRole } from '../../auth/authenticate';
import { assertCanWriteSource } from '../../tickets/ticket-access';
import { findFullTicket, findTicketBySourceId } from '../../tickets/ticket.repository';
import { ticketDetail, ticketSummary } from '../../tickets/ticket-view';
import { receiveFollowUp } from '../receive-follow-up';
import { receiveTicket } from '../receive-ticket';
import type { HelpdeskAdapter } from './adapter';
import { freshdeskAdapter } from './freshdesk';
import { intercomAdapter } from './intercom';
import { zendeskAdapter } from './zendesk';

export const HELPDESK_ADAPTERS: readonly HelpdeskAdapter[] = [zendeskAdapter, intercomAdapter, freshdeskAdapter];

/**
 * `POST /v1/webhooks/{zendesk|intercom|freshdesk}`: each product's own webhook payload, mapped to
 * intake, so a helpdesk can point its webhook at Handoff without a translating proxy. Answers as
 * intake does: 202 new ticket, 200 redelivery or reply, 200 `{ ignored }` for events Handoff has no
 * use for (helpdesks retry and eventually disable webhooks that answer with errors).
 */
export function webhooksRouter(deps: Deps): Router {
  const router = Router();
  for (const adapter of HELPDESK_ADAPTERS) {
    router.post(`/v1/webhooks/${adapter.source}`, requireRole('webhook'), async (req, res) => {
      assertCanWriteSource(req.principal!, adapter.source);
      const event = adapter.map(req.body);
      switch (event.kind) {
        case 'ticket': {
          const { created, ticket } = await receiveTicket(deps, event.ticket, { requestId: String(req.id) });
          res.status(created ? 202 : 200).json(ticketSummary(ticket));
          return;
        }
        case 'reply': {
          const current = await findTicketBySourceId(deps.db, adapter.source, event.externalId);
          if (!current) throw new AppError('NOT_FOUND', `No ${adapter.source} ticket ${event.externalId} was received before this reply.`);
          await receiveFollowUp(deps, current.id, event.body, { requestId: String(req.id) });
          const ticket = await findFullTicket(deps.db, current.id);
          res.json(ticketDetail(ticket!, deps.cipher, { includeInternal: false }));
          return;
        }
        case 'ignored':
          res.json({ ignored: true, reason: event.reason });
          return;
      }
    });
  }
  return router;
}

import { Router } from 'express';
import type { Deps } from '../../shared/deps';
import { requireRole } from '../auth/authenticate';
import { assignmentView } from './agent-view';
import { releaseSchema, replySchema, transferSchema } from './agents.schema';
import { transferTicket } from './transfer-ticket';
import { releaseTicket, replyToTicket, resolveTicket } from './work-on-ticket';

/** What the assigned agent does with a ticket: reply, resolve, release, transfer. */
export function ticketWorkRouter(deps: Deps): Router {
  const router = Router();

  router.post('/v1/tickets/:id/replies', requireRole('agent'), async (req, res) => {
    const { body } = replySchema.parse(req.body);
    res.status(201).json(await replyToTicket(deps, req.principal!, req.params.id as string, body));
  });

  router.post('/v1/tickets/:id/resolve', requireRole('agent'), async (req, res) => {
    res.json(assignmentView(await resolveTicket(deps, req.principal!, req.params.id as string)));
  });

  router.post('/v1/tickets/:id/release', requireRole('agent'), async (req, res) => {
    const { reason } = releaseSchema.parse(req.body);
    res.json(assignmentView(await releaseTicket(deps, req.principal!, req.params.id as string, reason)));
  });

  router.post('/v1/tickets/:id/transfer', requireRole('agent'), async (req, res) => {
    const input = transferSchema.parse(req.body);
    const target = input.agentId !== undefined ? { agentId: input.agentId } : { skill: input.skill! };
    res.json(assignmentView(await transferTicket(deps, req.principal!, req.params.id as string, { ...target, reason: input.reason })));
  });

  return router;
}

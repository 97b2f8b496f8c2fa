import { Router } from 'express';
import type { Deps } from '../../shared/deps';
import { afterCursor, decodeCursor, encodeCursor, pageQuery } from '../../shared/http/validation';
import { requireRole } from '../auth/authenticate';
import { decryptingOnce } from '../privacy/pii-cipher';
import { ticketDetail } from '../tickets/ticket-view';
import { assertActsFor } from './agent-access';
import { buildSuggestions } from './agent-assist';
import { agentView, assignmentView } from './agent-view';
import { createAgentSchema, updateAgentSchema } from './agents.schema';
import { claimTicket } from './claim-ticket';
import { countActiveTickets, createAgent, findAgent, listAgents, updateAgent } from './manage-agents';

/** Agents: admins manage them, agents' tools poll `claim` and work their assignments. */
export function agentsRouter(deps: Deps): Router {
  const router = Router();

  router.post('/v1/agents', requireRole(), async (req, res) => {
    const agent = await createAgent(deps, req.principal!, createAgentSchema.parse(req.body));
    res.status(201).json(agentView(agent, 0));
  });

  router.get('/v1/agents', requireRole('supervisor'), async (req, res) => {
    const { limit, cursor } = pageQuery.parse(req.query);
    const page = await listAgents(deps, limit, cursor);
    res.json({ items: page.items.map((a) => agentView(a)), nextCursor: page.nextCursor });
  });

  router.get('/v1/agents/:id', requireRole('supervisor', 'agent'), async (req, res) => {
    const id = req.params.id as string;
    assertActsFor(req.principal!, id, ['supervisor']);
    const agent = await findAgent(deps, id);
    res.json(agentView(agent, await countActiveTickets(deps, agent.id)));
  });

  router.patch('/v1/agents/:id', requireRole('agent'), async (req, res) => {
    const id = req.params.id as string;
    assertActsFor(req.principal!, id);
    const input = updateAgentSchema.parse(req.body);
    const { agent } = await updateAgent(deps, req.principal!, id, input);
    res.json(agentView(agent, await countActiveTickets(deps, agent.id)));
  });

  router.post('/v1/agents/:id/claim', requireRole('agent'), async (req, res) => {
    const id = req.params.id as string;
    assertActsFor(req.principal!, id);
    const outcome = await claimTicket(deps, id, req.principal!);
    if (!outcome.claimed) {
      // Nothing fits now: the tool should come back later rather than spin. An agent who is away or
      // offline gets nothing until it says it is available, so there is no time to come back at.
      if (outcome.reason === 'nothing_fits' || outcome.reason === 'at_capacity') res.setHeader('Retry-After', String(deps.config.agents.claimRetryAfterSeconds));
      res.setHeader('X-Handoff-Claim', outcome.reason);
      res.status(204).end();
      return;
    }
    // The claim shows the customer's words to the agent: claimTicket audited that read with the claim.
    const { ticket } = outcome;
    const cipher = decryptingOnce(deps.cipher);
    res.json({ ticket: ticketDetail(ticket, cipher, { includeInternal: true }), suggestions: await buildSuggestions({ pool: deps.pool, cipher }, ticket) });
  });

  router.get('/v1/agents/:id/assignments', requireRole('agent', 'supervisor'), async (req, res) => {
    const id = req.params.id as string;
    assertActsFor(req.principal!, id, ['supervisor']);
    await findAgent(deps, id);
    const { limit, cursor } = pageQuery.parse(req.query);
    const after = decodeCursor(cursor);
    const rows = await deps.db.ticket.findMany({
      where: {
        assignedAgentId: id,
        status: 'assigned',
        ...afterCursor(after),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    res.json({ items: items.map(assignmentView), nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null });
  });

  return router;
}

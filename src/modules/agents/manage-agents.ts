import type { Agent } from '@prisma/client';
import type { Deps } from '../../shared/deps';
import { forbidden, notFound } from '../../shared/errors/app-error';
import { afterCursor, decodeCursor, encodeCursor, uuid, type Page } from '../../shared/http/validation';
import { recordAudit } from '../audit/audit';
import type { Principal } from '../auth/principal';
import type { CreateAgent, UpdateAgent } from './agents.schema';
import { recordAvailability } from './availability-history';
import { TX_OPTIONS } from '../../shared/db/prisma';
import { returnTicketsOfOfflineAgent } from './return-unanswered';

/** A new agent starts offline: it takes work only once it says it is available. */
export async function createAgent(deps: Pick<Deps, 'db'>, principal: Principal, input: CreateAgent): Promise<Agent> {
  return deps.db.$transaction(async (tx) => {
    const agent = await tx.agent.create({ data: { ...input, status: 'offline' } });
    await recordAvailability(tx, agent, agent.createdAt);
    await recordAudit(tx, principal, 'agent.create', 'agent', agent.id, { skills: agent.skills, languages: agent.languages, capacity: agent.capacity });
    return agent;
  });
}

export async function findAgent(deps: Pick<Deps, 'db'>, id: string): Promise<Agent> {
  const agent = uuid.safeParse(id).success ? await deps.db.agent.findUnique({ where: { id } }) : null;
  if (!agent) throw notFound('Agent');
  return agent;
}

/** How many tickets the agent holds now, its load against capacity. */
export async function countActiveTickets(deps: Pick<Deps, 'db'>, agentId: string): Promise<number> {
  return deps.db.ticket.count({ where: { assignedAgentId: agentId, status: 'assigned' } });
}

export async function listAgents(deps: Pick<Deps, 'db'>, limit: number, cursor?: string): Promise<Page<Agent>> {
  const after = decodeCursor(cursor);
  const rows = await deps.db.agent.findMany({
    where: afterCursor(after),
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

/**
 * Admins change anything; an agent changes only its own status. Going offline hands the agent's
 * unanswered tickets back to the queue in the same transaction, and any break (away or offline)
 * ends its run of high-distress tickets.
 */
export async function updateAgent(deps: Pick<Deps, 'db'>, principal: Principal, id: string, input: UpdateAgent, now = new Date()) {
  await findAgent(deps, id);
  if (principal.role === 'agent' && Object.keys(input).some((k) => k !== 'status')) {
    throw forbidden('An agent may change only its own status; ask an admin for the rest.');
  }
  return deps.db.$transaction(async (tx) => {
    // Locked first, as a claim does, so the history row below compares against the state this update replaces.
    const [before] = await tx.$queryRaw<{ status: string; skills: string[] }[]>`
      SELECT status::text AS status, skills FROM agents WHERE id = ${id}::uuid FOR UPDATE`;
    const onBreak = input.status === 'away' || input.status === 'offline';
    const agent = await tx.agent.update({ where: { id }, data: { ...input, ...(onBreak ? { distressStreak: 0 } : {}) } });
    if (before && (before.status !== agent.status || before.skills.join(',') !== agent.skills.join(','))) {
      await recordAvailability(tx, agent, now);
    }
    const requeued = input.status === 'offline' ? await returnTicketsOfOfflineAgent(tx, id, now) : [];
    await recordAudit(tx, principal, 'agent.update', 'agent', id, { fields: Object.keys(input), status: agent.status, requeued: requeued.length });
    return { agent, requeued };
  }, TX_OPTIONS);
}

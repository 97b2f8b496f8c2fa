import type { Ticket } from '@prisma/client';
import type { Deps } from '../../shared/deps';
import { AppError, conflict, forbidden, notFound } from '../../shared/errors/app-error';
import { uuid } from '../../shared/http/validation';
import type { Principal } from '../auth/principal';
import { TX_OPTIONS } from '../../shared/db/prisma';

export type TransferTarget = { agentId: string; skill?: undefined } | { skill: string; agentId?: undefined };

/**
 * Hands a ticket to a named agent, only if that agent could have claimed it (available, language,
 * skills, under capacity), or back to the queue with one more required skill and ahead of its peers.
 * Allowed to the agent holding it and to admins (who may also place a waiting ticket).
 */
export async function transferTicket(
  deps: Pick<Deps, 'db'>,
  principal: Principal,
  ticketId: string,
  target: TransferTarget & { reason?: string },
  now = new Date(),
): Promise<Ticket> {
  if (!uuid.safeParse(ticketId).success) throw notFound('Ticket');
  return deps.db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM tickets WHERE id = ${ticketId}::uuid FOR UPDATE`;
    if (!locked) throw notFound('Ticket');
    const ticket = (await tx.ticket.findUnique({ where: { id: ticketId } }))!;
    if (principal.role === 'agent') {
      if (ticket.assignedAgentId !== principal.agentId) throw forbidden('The ticket is not assigned to you, so you may not transfer it.');
      if (ticket.status !== 'assigned') throw conflict(`The ticket is ${ticket.status}, not assigned, so you may not transfer it.`);
    } else if (principal.role !== 'admin') {
      throw forbidden('Only the assigned agent or an admin may transfer a ticket.');
    } else if (ticket.status !== 'assigned' && ticket.status !== 'human_queued') {
      throw conflict(`The ticket is ${ticket.status}; only tickets with people can be transferred.`);
    }
    const from = ticket.assignedAgentId;
    const by = principal.role === 'agent' ? principal.agentId! : null;
    // As for an admin's reply, resolve or release: the thread says which admin key moved the ticket.
    const actedBy = principal.role === 'admin' ? { adminKeyId: principal.keyId } : {};

    if (target.skill !== undefined) {
      const skills = [...new Set([...ticket.skills, target.skill])].sort();
      await tx.ticketEvent.create({
        data: { ticketId, type: 'transferred', agentId: by, data: { from, skill: target.skill, reason: target.reason ?? null, ...actedBy }, createdAt: now },
      });
      return tx.ticket.update({
        where: { id: ticketId },
        data: { status: 'human_queued', skills, assignedAgentId: null, assignedAt: null, requeuedAt: now, updatedAt: now },
      });
    }

    if (target.agentId === from) throw conflict('The ticket is already assigned to that agent.');
    // Locked like a claim does, so a transfer and the agent's own claims cannot push it over capacity together.
    const [agent] = await tx.$queryRaw<{ id: string; status: string; skills: string[]; languages: string[]; capacity: number }[]>`
      SELECT id, status::text AS status, skills, languages, capacity FROM agents WHERE id = ${target.agentId}::uuid FOR UPDATE`;
    if (!agent) throw new AppError('VALIDATION_FAILED', 'The agent does not exist.', { errors: [{ path: 'agentId', message: 'no agent with this id' }] });
    const [{ held }] = await tx.$queryRaw<{ held: number }[]>`
      SELECT count(*)::int AS held FROM tickets WHERE assigned_agent_id = ${agent.id}::uuid AND status = 'assigned'`;
    const problems = [
      agent.status !== 'available' ? `the agent is ${agent.status}` : null,
      ticket.language !== 'und' && !agent.languages.includes(ticket.language) ? `the agent does not speak '${ticket.language}'` : null,
      ...ticket.skills.filter((s) => !agent.skills.includes(s)).map((s) => `the agent lacks the skill '${s}'`),
      held >= agent.capacity ? `the agent is at capacity (${held}/${agent.capacity})` : null,
    ].filter((p): p is string => p !== null);
    if (problems.length > 0) throw conflict(`The agent cannot take this ticket: ${problems.join('; ')}.`);

    await tx.ticketEvent.create({
      data: { ticketId, type: 'transferred', agentId: by, data: { from, to: agent.id, reason: target.reason ?? null, ...actedBy }, createdAt: now },
    });
    return tx.ticket.update({
      where: { id: ticketId },
      data: { status: 'assigned', assignedAgentId: agent.id, assignedAt: now, requeuedAt: null, updatedAt: now },
    });
  }, TX_OPTIONS);
}

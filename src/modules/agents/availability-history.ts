import type { Tx } from '../../shared/db/prisma';

/**
 * Appends the agent's status and skills from `now` on to its availability history, which the
 * skills-gap report sums into available agent-hours per skill. Called in the transaction that makes
 * the change, so the history never disagrees with the agents table.
 */
export async function recordAvailability(tx: Tx, agent: { id: string; status: 'available' | 'away' | 'offline'; skills: string[] }, now: Date): Promise<void> {
  await tx.agentStatusChange.create({ data: { agentId: agent.id, status: agent.status, skills: agent.skills, changedAt: now } });
}

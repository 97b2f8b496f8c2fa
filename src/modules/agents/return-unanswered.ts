import { Prisma } from '@prisma/client';
import type { Deps } from '../../shared/deps';
import type { Tx } from '../../shared/db/prisma';
import { TX_OPTIONS } from '../../shared/db/prisma';
import { ageWaitingTickets } from './claim-ticket';

/** Since when the customer has been waiting for the agent: the assignment, or their latest message after it. */
const AWAITING_SINCE = Prisma.sql`GREATEST(t.assigned_at,
  (SELECT max(c.created_at) FROM messages c WHERE c.ticket_id = t.id AND c.author = 'customer'))`;

/** The agent has not replied since the customer started waiting. */
const UNANSWERED = Prisma.sql`NOT EXISTS (
  SELECT 1 FROM messages m WHERE m.ticket_id = t.id AND m.author = 'agent' AND m.internal = false
    AND m.created_at >= ${AWAITING_SINCE})`;

const SWEEP_BATCH = 200;

type Requeued = { id: string; agent_id: string | null; awaiting_since: Date };

/**
 * Puts locked, still-unanswered assigned tickets back in the queue ahead of their peers. The answer
 * check runs in its own statement after the rows are locked, so it sees a reply that committed while
 * we waited: a ticket is never taken from an agent who has just answered it.
 */
async function requeueLocked(tx: Tx, ids: string[], now: Date): Promise<Requeued[]> {
  if (ids.length === 0) return [];
  return tx.$queryRaw<Requeued[]>`
    WITH before AS (
      SELECT t.id, t.assigned_agent_id AS agent_id, ${AWAITING_SINCE} AS awaiting_since
      FROM tickets t WHERE t.id = ANY(${ids}::uuid[]) AND t.status = 'assigned' AND ${UNANSWERED})
    UPDATE tickets t SET status = 'human_queued', assigned_agent_id = NULL, assigned_at = NULL,
      requeued_at = ${now}, updated_at = ${now}
    FROM before WHERE t.id = before.id
    RETURNING t.id, before.agent_id, before.awaiting_since`;
}

/**
 * Going offline: the agent's unanswered tickets go back to the queue at once (waiting for any reply
 * in flight rather than skipping it), each with a `requeued` event.
 */
export async function returnTicketsOfOfflineAgent(tx: Tx, agentId: string, now: Date): Promise<string[]> {
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT t.id FROM tickets t WHERE t.assigned_agent_id = ${agentId}::uuid AND t.status = 'assigned' ORDER BY t.id FOR UPDATE`;
  const requeued = await requeueLocked(tx, locked.map((r) => r.id), now);
  if (requeued.length > 0) {
    await tx.ticketEvent.createMany({
      data: requeued.map((r) => ({ ticketId: r.id, type: 'requeued', agentId, data: { reason: 'agent_offline' }, createdAt: now })),
    });
  }
  return requeued.map((r) => r.id);
}

/**
 * Work that never gets stuck: assigned tickets whose customer has waited longer than the reply
 * timeout, or whose agent is offline (or gone), return to the queue ahead of their peers. Safe in
 * several processes at once: rows another sweep or a reply holds are skipped until the next round.
 */
export async function sweepStuckAssignments(deps: Pick<Deps, 'db' | 'config' | 'logger'>, now = new Date()): Promise<number> {
  const timeoutSeconds = deps.config.agents.replyTimeoutSeconds;
  const cutoff = new Date(now.getTime() - timeoutSeconds * 1000);
  const returned = await deps.db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string; agent_status: string | null }[]>`
      SELECT t.id, a.status::text AS agent_status
      FROM tickets t LEFT JOIN agents a ON a.id = t.assigned_agent_id
      WHERE t.status = 'assigned' AND (a.id IS NULL OR a.status = 'offline' OR ${AWAITING_SINCE} < ${cutoff}) AND ${UNANSWERED}
      ORDER BY t.assigned_at
      LIMIT ${SWEEP_BATCH}
      FOR UPDATE OF t SKIP LOCKED`;
    const agentOffline = new Map(locked.map((r) => [r.id, r.agent_status === null || r.agent_status === 'offline']));
    const requeued = await requeueLocked(tx, locked.map((r) => r.id), now);
    if (requeued.length > 0) {
      await tx.ticketEvent.createMany({
        data: requeued.map((r) => ({
          ticketId: r.id,
          agentId: r.agent_id,
          createdAt: now,
          ...(agentOffline.get(r.id)
            ? { type: 'requeued', data: { reason: 'agent_offline' } }
            : {
                type: 'timed_out',
                data: { reason: 'no_agent_reply', timeoutSeconds, waitedSeconds: Math.round((now.getTime() - r.awaiting_since.getTime()) / 1000) },
              }),
        })),
      });
    }
    return requeued.length;
  }, TX_OPTIONS);
  if (returned > 0) deps.logger.info({ returned }, 'stuck assignments returned to the queue');
  return returned;
}

/** Runs the stuck-work sweep and queue aging every interval; returns a stop function. */
export function startStuckWorkSweeper(deps: Pick<Deps, 'db' | 'config' | 'logger'>, intervalMs: number): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await sweepStuckAssignments(deps);
      await ageWaitingTickets(deps);
    } catch (err) {
      deps.logger.warn({ err: { message: (err as Error).message } }, 'stuck-work sweep failed');
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

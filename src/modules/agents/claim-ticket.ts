import { claimLatency } from '../../shared/metrics';
import { Prisma } from '@prisma/client';
import type { Deps } from '../../shared/deps';
import type { Tx } from '../../shared/db/prisma';
import { conflict, notFound } from '../../shared/errors/app-error';
import { PRIORITIES, type Priority } from '../routing';
import { DISTRESS_FLAGS } from './distress';

export type ClaimOutcome =
  | { claimed: true; ticketId: string }
  | { claimed: false; reason: 'at_capacity' | 'nothing_fits' };

interface Candidate {
  id: string;
  priority: Priority;
  effective_rank: number;
  skills: string[];
  language: string;
  distressing: boolean;
  queued_at: Date;
  requeued_at: Date | null;
}

interface LockedAgent {
  id: string;
  status: string;
  skills: string[];
  languages: string[];
  capacity: number;
  distress_streak: number;
}

/** Interactive transactions queue for a pooled connection under load; the defaults (2 s, 5 s) are too tight for that. */
export const TX_OPTIONS = { maxWait: 15_000, timeout: 15_000 };

/**
 * Gives the agent the best waiting ticket it may take, in one transaction that cannot collide with
 * other claims: the agent row is locked first (so its own parallel claims serialise and the capacity
 * count that follows is exact), then the ticket is picked with FOR UPDATE SKIP LOCKED (so other agents'
 * claims pass over it instead of waiting or taking it too).
 */
export async function claimTicket(deps: Pick<Deps, 'db' | 'config' | 'policies'>, agentId: string, now = new Date()): Promise<ClaimOutcome> {
  const { agents } = deps.config;
  type Claimed = { claimed: true; ticketId: string; waitedSeconds: number; priority: Priority };
  const outcome = await deps.db.$transaction(async (tx): Promise<Claimed | Extract<ClaimOutcome, { claimed: false }>> => {
    const [agent] = await tx.$queryRaw<LockedAgent[]>`
      SELECT id, status::text AS status, skills, languages, capacity, distress_streak
      FROM agents WHERE id = ${agentId}::uuid FOR UPDATE`;
    if (!agent) throw notFound('Agent');
    if (agent.status !== 'available') throw conflict(`The agent is ${agent.status}; set its status to available before claiming.`);

    // A new statement, so a new snapshot: it sees every claim of this agent that committed while we waited for the lock.
    const [{ held }] = await tx.$queryRaw<{ held: number }[]>`
      SELECT count(*)::int AS held FROM tickets WHERE assigned_agent_id = ${agentId}::uuid AND status = 'assigned'`;
    if (held >= agent.capacity) return { claimed: false, reason: 'at_capacity' as const };

    const pick = (excludeDistressing: boolean) => pickCandidate(tx, deps, agent, now, excludeDistressing);
    let candidate = await pick(false);
    if (!candidate) return { claimed: false, reason: 'nothing_fits' as const };

    let rotation: Prisma.InputJsonObject | undefined;
    const atStreakLimit = agent.distress_streak >= agents.distressStreakLimit;
    if (candidate.distressing && atStreakLimit) {
      if (await anotherAgentCouldTake(tx, deps, agent, candidate, now)) {
        // Visible on the ticket that was passed over, so a supervisor sees why it waited.
        await tx.ticketEvent.create({
          data: {
            ticketId: candidate.id,
            type: 'wellbeing_rotation',
            agentId,
            data: { streak: agent.distress_streak, limit: agents.distressStreakLimit, detail: 'Passed to another agent: this one just had several high-distress tickets in a row.' },
            createdAt: now,
          },
        });
        const alternative = await pick(true);
        if (!alternative) return { claimed: false, reason: 'nothing_fits' as const };
        candidate = alternative;
      } else {
        rotation = { streak: agent.distress_streak, limit: agents.distressStreakLimit, detail: 'No other eligible agent could take it.' };
      }
    }

    await tx.$executeRaw`
      UPDATE tickets SET status = 'assigned', assigned_agent_id = ${agentId}::uuid, assigned_at = ${now},
        requeued_at = NULL, aging_levels = 0, updated_at = ${now}
      WHERE id = ${candidate.id}::uuid`;

    const missingSkills = candidate.skills.filter((s) => !agent.skills.includes(s));
    const effectivePriority = PRIORITIES[candidate.effective_rank];
    const streak = candidate.distressing ? agent.distress_streak + 1 : 0;
    await tx.ticketEvent.create({
      data: {
        ticketId: candidate.id,
        type: 'claimed',
        agentId,
        createdAt: now,
        data: {
          priority: candidate.priority,
          ...(effectivePriority !== candidate.priority ? { aging: { effectivePriority, stepMinutes: agents.agingStepMinutes } } : {}),
          ...(candidate.requeued_at ? { requeued: true } : {}),
          ...(missingSkills.length > 0
            ? {
                overflow: {
                  missingSkills,
                  waitedSeconds: Math.round((now.getTime() - candidate.queued_at.getTime()) / 1000),
                  reason: `No agent with the skills ${missingSkills.join(', ')} claimed it within ${agents.overflowAfterMinutes} min; offered to agents with its language.`,
                },
              }
            : {}),
          ...(candidate.distressing ? { distressing: true, distressStreak: streak } : {}),
          ...(rotation ? { wellbeing: rotation } : {}),
        },
      },
    });
    if (streak !== agent.distress_streak) {
      await tx.$executeRaw`UPDATE agents SET distress_streak = ${streak} WHERE id = ${agentId}::uuid`;
    }
    return { claimed: true as const, ticketId: candidate.id, waitedSeconds: (now.getTime() - candidate.queued_at.getTime()) / 1000, priority: candidate.priority };
  }, TX_OPTIONS);
  // Observed after commit, so a rolled-back claim is never counted.
  if (!outcome.claimed) return outcome;
  claimLatency.observe({ priority: outcome.priority }, Math.max(0, outcome.waitedSeconds));
  return { claimed: true, ticketId: outcome.ticketId };
}

/** SQL for "this ticket is high-distress" (see distress.ts, which says the same in TypeScript). */
function distressSql(threshold: number) {
  return Prisma.sql`(t.flags && ${DISTRESS_FLAGS}::text[] OR t.sentiment <= ${threshold})`;
}

/**
 * The claim order is the index `tickets_claim_order_idx`: claim_rank (effective priority, i.e. the
 * priority raised by aging up to urgent, then tickets handed back unanswered), then the earliest due
 * time, then age. Walking that index with LIMIT 1 keeps a claim fast however long the queue is.
 */
async function pickCandidate(
  tx: Tx,
  deps: Pick<Deps, 'config' | 'policies'>,
  agent: LockedAgent,
  now: Date,
  excludeDistressing: boolean,
): Promise<Candidate | undefined> {
  const overflowCutoff = new Date(now.getTime() - deps.config.agents.overflowAfterMinutes * 60_000);
  const distress = distressSql(deps.policies.current().negativeSentimentThreshold);
  const rows = await tx.$queryRaw<Candidate[]>`
    SELECT t.id, t.priority::text AS priority, t.skills, t.language, t.queued_at, t.requeued_at,
           ${distress} AS distressing, (t.claim_rank / 2)::int AS effective_rank
    FROM tickets t
    WHERE t.status = 'human_queued'
      AND (t.language = ANY(${agent.languages}::text[]) OR t.language = 'und')
      AND (t.skills <@ ${agent.skills}::text[] OR t.queued_at <= ${overflowCutoff})
      AND (${!excludeDistressing} OR NOT ${distress})
    ORDER BY t.claim_rank DESC, t.first_response_due_at, t.queued_at, t.id
    LIMIT 1
    FOR UPDATE OF t SKIP LOCKED`;
  return rows[0];
}

/**
 * Aging: tickets waiting past their first-response due time gain one priority level per aging step
 * (up to urgent), which the claim order sees through claim_rank. Run by the sweep; rows a claim holds
 * are skipped until the next round, so aging never delays a claim.
 */
export async function ageWaitingTickets(deps: Pick<Deps, 'db' | 'config'>, now = new Date()): Promise<number> {
  const stepSeconds = deps.config.agents.agingStepMinutes * 60;
  const levels = Prisma.sql`LEAST(3, floor(extract(epoch FROM (${now}::timestamptz - t.first_response_due_at)) / ${stepSeconds}))::smallint`;
  return deps.db.$executeRaw`
    UPDATE tickets SET aging_levels = aged.levels
    FROM (
      SELECT t.id, ${levels} AS levels FROM tickets t
      WHERE t.status = 'human_queued' AND t.first_response_due_at <= ${new Date(now.getTime() - stepSeconds * 1000)}
        AND t.aging_levels < ${levels}
      FOR UPDATE OF t SKIP LOCKED
    ) aged
    WHERE tickets.id = aged.id`;
}

/** Whether some other available agent under capacity and below the streak limit may take this ticket. */
async function anotherAgentCouldTake(tx: Tx, deps: Pick<Deps, 'config'>, agent: LockedAgent, ticket: Candidate, now: Date): Promise<boolean> {
  const { overflowAfterMinutes, distressStreakLimit } = deps.config.agents;
  const overflowing = ticket.queued_at.getTime() <= now.getTime() - overflowAfterMinutes * 60_000;
  const [{ found }] = await tx.$queryRaw<{ found: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM agents a
      WHERE a.id <> ${agent.id}::uuid AND a.status = 'available' AND a.distress_streak < ${distressStreakLimit}
        AND (${ticket.language} = 'und' OR ${ticket.language} = ANY(a.languages))
        AND (${ticket.skills}::text[] <@ a.skills OR ${overflowing})
        AND (SELECT count(*) FROM tickets x WHERE x.assigned_agent_id = a.id AND x.status = 'assigned') < a.capacity
    ) AS found`;
  return found;
}

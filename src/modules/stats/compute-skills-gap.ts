import type { Deps } from '../../shared/deps';
import { skillDemand, skillSupply, type SkillDemandRow, type SkillSupplyRow } from './skills.repository';

const round = (x: number, places = 3) => Math.round(x * 10 ** places) / 10 ** places;
const share = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 4));

/**
 * The skills-gap report: for each skill, demand against available skilled agent-hours, how long its
 * tickets waited, how often they overflowed to agents without it, and the AI's share against the
 * previous period. `shortages` ranks the skills by waiting past the target (the overflow time: after
 * it the claim gives up on a specialist), the customer time a better-staffed skill would have saved.
 */
export async function computeSkillsGap(deps: Pick<Deps, 'db' | 'config'>, q: { from: Date; to: Date }, now = new Date()) {
  const length = q.to.getTime() - q.from.getTime();
  const previousFrom = new Date(q.from.getTime() - length);
  const waitTargetSeconds = deps.config.agents.overflowAfterMinutes * 60;
  // Nothing has happened after now: supply and open waits stop there.
  const until = new Date(Math.min(q.to.getTime(), now.getTime()));
  const [demand, supply] = await Promise.all([
    skillDemand(deps.db, previousFrom, q.from, q.to, until, waitTargetSeconds),
    until > q.from ? skillSupply(deps.db, q.from, until) : Promise.resolve([]),
  ]);

  const demandBySkill = new Map(demand.map((d) => [d.skill, d]));
  const supplyBySkill = new Map(supply.map((s) => [s.skill, s]));
  const skills = [...new Set([...demand.map((d) => d.skill), ...supply.map((s) => s.skill)])].sort();
  const rows = skills.map((skill) => skillRow(skill, demandBySkill.get(skill), supplyBySkill.get(skill)));

  return {
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    previousFrom: previousFrom.toISOString(),
    waitTargetSeconds,
    skills: rows,
    shortages: rows
      .filter((r) => r.wait.excessSeconds > 0)
      .sort((a, b) => b.wait.excessSeconds - a.wait.excessSeconds || a.skill.localeCompare(b.skill))
      .map((r) => ({
        skill: r.skill,
        excessWaitHours: round(r.wait.excessSeconds / 3600),
        humanTickets: r.demand.human,
        agentHours: r.supply.agentHours,
        ticketsPerAgentHour: r.ticketsPerAgentHour,
        waitP90Seconds: r.wait.p90Seconds,
        uncoveredHours: r.uncoveredHours,
      })),
  };
}

function skillRow(skill: string, d: SkillDemandRow | undefined, s: SkillSupplyRow | undefined) {
  const humanByHour = d?.humanByHour ?? Array<number>(24).fill(0);
  const supplyByHour = (s?.byHour ?? Array<number>(24).fill(0)).map((h) => round(h));
  const agentHours = round(s?.agentHours ?? 0);
  const aiShare = share(d?.aiRouted ?? 0, d?.tickets ?? 0);
  const previousAiShare = share(d?.previousAiRouted ?? 0, d?.previousTickets ?? 0);
  return {
    skill,
    demand: { tickets: d?.tickets ?? 0, human: d?.human ?? 0, byHour: d?.byHour ?? Array<number>(24).fill(0), humanByHour },
    supply: { agentHours, agents: s?.agents ?? 0, byHour: supplyByHour },
    /** Human tickets per available skilled agent-hour; null when no one with the skill was available. */
    ticketsPerAgentHour: agentHours > 0 ? round((d?.human ?? 0) / agentHours, 4) : null,
    /** Hours of the day (UTC) when people needed the skill but no one with it was available. */
    uncoveredHours: humanByHour.flatMap((n, h) => (n > 0 && supplyByHour[h] === 0 ? [h] : [])),
    wait: {
      claimed: d?.claimed ?? 0,
      waiting: d?.waiting ?? 0,
      p50Seconds: d?.waitP50 ?? null,
      p90Seconds: d?.waitP90 ?? null,
      excessSeconds: round(d?.excessWaitSeconds ?? 0),
    },
    firstResponse: { responded: d?.responded ?? 0, p50Seconds: d?.firstResponseP50 ?? null, p90Seconds: d?.firstResponseP90 ?? null },
    overflow: { tickets: d?.overflow ?? 0, share: share(d?.overflow ?? 0, d?.human ?? 0) },
    ai: {
      share: aiShare,
      previousShare: previousAiShare,
      change: aiShare !== null && previousAiShare !== null ? round(aiShare - previousAiShare, 4) : null,
      previousTickets: d?.previousTickets ?? 0,
    },
  };
}

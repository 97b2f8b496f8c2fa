import { Prisma, type Decision, type Message, type Ticket, type TicketEvent } from '@prisma/client';
import { claimLatency } from '../../shared/metrics';
import type { Deps } from '../../shared/deps';
import { notFound } from '../../shared/errors/app-error';
import { isDependencyDown } from '../../shared/errors/error-handler';
import { uuid } from '../../shared/http/validation';
import { batcherPer, microBatcher } from '../../shared/micro-batch';
import type { Principal } from '../auth/principal';
import { DISTRESS_FLAGS } from './distress';

type FullTicket = Ticket & { messages: Message[]; decisions: Decision[]; events: TicketEvent[] };

export type ClaimOutcome = { claimed: true; ticket: FullTicket } | { claimed: false; reason: 'at_capacity' | 'nothing_fits' | 'agent_away' | 'agent_offline' };

type ClaimResult =
  | { outcome: 'not_found' | 'at_capacity' | 'nothing_fits' }
  | { outcome: 'unavailable'; agentStatus: 'away' | 'offline' }
  | { outcome: 'claimed'; ticket: RowJson & { messages: RowJson[]; decisions: RowJson[]; events: RowJson[] } };

type RowJson = Record<string, unknown>;

const CLAIM_SQL = `SELECT claim_no, claim FROM claim_tickets($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::int, $6::int, $7::int, $8::text[], $9::float8)`;

/** Claims that arrive while earlier batches are out share one statement; a batch holds at most this many. */
const MAX_BATCH = 32;
/** Batches out at once: each holds a pooled connection, the rest of the pool serves the other routes meanwhile. */
const MAX_IN_FLIGHT = 4;

type ClaimDeps = Pick<Deps, 'pool' | 'config' | 'policies'>;

interface ClaimRequest {
  agentId: string;
  actor: Pick<Principal, 'keyId' | 'role'>;
  now: Date;
}

// Per deps object, so that each app (and its pool, config and policy) batches only its own claims.
const claimBatcher = batcherPer((deps: ClaimDeps) =>
  microBatcher<ClaimRequest, ClaimResult>({
    maxItems: MAX_BATCH,
    maxInFlight: MAX_IN_FLIGHT,
    // claim_ticket answers every outcome without raising; should a batch fail all the same (a deadlock with
    // another flow, say), each claim is tried alone, and only an unreachable database fails them together.
    retrySingly: (err) => !isDependencyDown(err),
    async run(claims) {
      const { agents } = deps.config;
      const { rows } = await deps.pool.query<{ claim_no: number; claim: ClaimResult }>({
        name: 'claim_tickets',
        text: CLAIM_SQL,
        values: [
          claims.map((c) => c.agentId),
          claims.map((c) => c.now),
          claims.map((c) => c.actor.keyId),
          claims.map((c) => c.actor.role),
          agents.overflowAfterMinutes,
          agents.agingStepMinutes,
          agents.distressStreakLimit,
          DISTRESS_FLAGS,
          deps.policies.current().negativeSentimentThreshold,
        ],
      });
      const results: ClaimResult[] = new Array(claims.length);
      for (const row of rows) results[row.claim_no - 1] = row.claim;
      return results;
    },
  }),
);

/**
 * Gives the agent the best waiting ticket it may take, through the database function `claim_ticket`
 * (migration 20261127110500_claim_function), which cannot collide with other claims: the agent row is
 * locked first (so its own parallel claims serialise and the capacity count that follows is exact), then
 * the ticket is picked with FOR UPDATE SKIP LOCKED (so other agents' claims pass over it instead of
 * waiting or taking it too). The claimed ticket comes back with its thread, and the read of its personal
 * data by `actor` is audited in the same transaction as the claim. Claims arriving together go in one
 * call of `claim_tickets` (migration 20261127230000_claim_batch): one round trip and one commit for all,
 * each claim still claim_ticket's, in arrival order, seeing what the earlier ones of the batch took.
 */
export async function claimTicket(
  deps: ClaimDeps,
  agentId: string,
  actor: Pick<Principal, 'keyId' | 'role'>,
  now = new Date(),
): Promise<ClaimOutcome> {
  if (!uuid.safeParse(agentId).success) throw notFound('Agent');
  const result = await claimBatcher(deps).add({ agentId, actor, now });
  switch (result.outcome) {
    case 'not_found':
      throw notFound('Agent');
    case 'unavailable':
      // Only an available agent is given tickets, so nothing fits: the contract's answer for that is 204.
      return { claimed: false, reason: result.agentStatus === 'away' ? 'agent_away' : 'agent_offline' };
    case 'at_capacity':
    case 'nothing_fits':
      return { claimed: false, reason: result.outcome };
  }
  const { messages, decisions, events, ...row } = result.ticket;
  const ticket: FullTicket = {
    ...(fromRowJson(row) as Ticket),
    messages: messages.map((m) => fromRowJson(m) as Message),
    decisions: decisions.map((d) => fromRowJson(d) as Decision),
    events: events.map((e) => fromRowJson(e) as TicketEvent),
  };
  // Observed after commit (the function's transaction ended with the query), so a rolled-back claim is never counted.
  claimLatency.observe({ priority: ticket.priority }, Math.max(0, (now.getTime() - ticket.queuedAt.getTime()) / 1000));
  return { claimed: true, ticket };
}

/**
 * A row as Postgres' to_jsonb writes it (snake_case column names, timestamps as strings) in the shape
 * Prisma's client returns: camelCase fields and Dates. Every timestamp column's name ends in `_at`.
 */
function fromRowJson(row: RowJson): RowJson {
  const out: RowJson = {};
  for (const column in row) {
    const { field, timestamp } = fieldOf(column);
    const value = row[column];
    out[field] = timestamp && typeof value === 'string' ? new Date(value) : value;
  }
  return out;
}

// Column names come from a handful of tables: each is translated once per process, not per row.
const fields = new Map<string, { field: string; timestamp: boolean }>();
function fieldOf(column: string): { field: string; timestamp: boolean } {
  let found = fields.get(column);
  if (!found) {
    found = { field: column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), timestamp: column.endsWith('_at') };
    fields.set(column, found);
  }
  return found;
}

/**
 * Rows aged per statement. A statement holds its rows' locks until it commits, and a claim skips locked rows, so a
 * backlog aged in one statement would hide every overdue ticket, the very ones agents should take first, from
 * claims for as long as it ran (6,789 rows: 318 ms on the claims bench's database; a backlog of 100,000, seconds).
 */
const AGING_BATCH = 500;
/** Tickets read per run; a larger backlog is finished by the next runs. */
const AGING_MAX_PER_RUN = 50_000;

/**
 * Aging: tickets waiting past their first-response due time gain one priority level per aging step
 * (up to urgent), which the claim order sees through claim_rank. Run by the sweep; rows a claim holds
 * are skipped until the next round, so aging never delays a claim. The candidates are read once, most
 * overdue first, then aged a batch at a time, each batch re-checked under its lock.
 */
export async function ageWaitingTickets(deps: Pick<Deps, 'db' | 'config'>, now = new Date()): Promise<number> {
  const stepSeconds = deps.config.agents.agingStepMinutes * 60;
  const levels = Prisma.sql`LEAST(3, floor(extract(epoch FROM (${now}::timestamptz - t.first_response_due_at)) / ${stepSeconds}))::smallint`;
  const due = Prisma.sql`t.status = 'human_queued' AND t.first_response_due_at <= ${new Date(now.getTime() - stepSeconds * 1000)} AND t.aging_levels < ${levels}`;
  const candidates = await deps.db.$queryRaw<{ id: string }[]>`
    SELECT t.id::text AS id FROM tickets t WHERE ${due} ORDER BY t.first_response_due_at LIMIT ${AGING_MAX_PER_RUN}`;
  let aged = 0;
  for (let from = 0; from < candidates.length; from += AGING_BATCH) {
    const ids = candidates.slice(from, from + AGING_BATCH).map((c) => c.id);
    aged += await deps.db.$executeRaw`
      UPDATE tickets SET aging_levels = aged.levels
      FROM (
        SELECT t.id, ${levels} AS levels FROM tickets t
        WHERE t.id = ANY(${ids}::uuid[]) AND ${due}
        FOR UPDATE OF t SKIP LOCKED
      ) aged
      WHERE tickets.id = aged.id`;
  }
  return aged;
}

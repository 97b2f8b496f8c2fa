import { Prisma, type Decision, type Message, type Ticket, type TicketEvent } from '@prisma/client';
import { claimLatency } from '../../shared/metrics';
import type { Deps } from '../../shared/deps';
import { conflict, notFound } from '../../shared/errors/app-error';
import { uuid } from '../../shared/http/validation';
import type { Principal } from '../auth/principal';
import { DISTRESS_FLAGS } from './distress';

type FullTicket = Ticket & { messages: Message[]; decisions: Decision[]; events: TicketEvent[] };

export type ClaimOutcome = { claimed: true; ticket: FullTicket } | { claimed: false; reason: 'at_capacity' | 'nothing_fits' };

type ClaimResult =
  | { outcome: 'not_found' | 'at_capacity' | 'nothing_fits' }
  | { outcome: 'unavailable'; agentStatus: string }
  | { outcome: 'claimed'; ticket: RowJson & { messages: RowJson[]; decisions: RowJson[]; events: RowJson[] } };

type RowJson = Record<string, unknown>;

const CLAIM_SQL = 'SELECT claim_ticket($1::uuid, $2::timestamptz, $3::int, $4::int, $5::int, $6::text[], $7::float8, $8::text, $9::text) AS result';

/**
 * Gives the agent the best waiting ticket it may take, in one round trip to the database function
 * `claim_ticket` (migration 20261127110500_claim_function), which cannot collide with other claims: the
 * agent row is locked first (so its own parallel claims serialise and the capacity count that follows
 * is exact), then the ticket is picked with FOR UPDATE SKIP LOCKED (so other agents' claims pass over
 * it instead of waiting or taking it too). The claimed ticket comes back with its thread, and the read
 * of its personal data by `actor` is audited in the same transaction as the claim.
 */
export async function claimTicket(
  deps: Pick<Deps, 'pool' | 'config' | 'policies'>,
  agentId: string,
  actor: Pick<Principal, 'keyId' | 'role'>,
  now = new Date(),
): Promise<ClaimOutcome> {
  if (!uuid.safeParse(agentId).success) throw notFound('Agent');
  const { agents } = deps.config;
  const { rows } = await deps.pool.query<{ result: ClaimResult }>({
    name: 'claim_ticket',
    text: CLAIM_SQL,
    values: [
      agentId,
      now,
      agents.overflowAfterMinutes,
      agents.agingStepMinutes,
      agents.distressStreakLimit,
      DISTRESS_FLAGS,
      deps.policies.current().negativeSentimentThreshold,
      actor.keyId,
      actor.role,
    ],
  });
  const result = rows[0].result;
  switch (result.outcome) {
    case 'not_found':
      throw notFound('Agent');
    case 'unavailable':
      throw conflict(`The agent is ${result.agentStatus}; set its status to available before claiming.`);
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

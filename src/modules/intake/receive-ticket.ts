import { randomUUID } from 'node:crypto';
import type { Ticket } from '@prisma/client';
import type { JobsOptions } from 'bullmq';
import type { Deps } from '../../shared/deps';
import { ENQUEUE_TIMEOUT_MS, withTimeout } from '../../shared/with-timeout';
import { countDecision } from '../../shared/metrics';
import { aiJobId, AI_ANSWER_JOB_OPTIONS, type Queues } from '../../shared/queue/queues';
import { batcherPer, microBatcher } from '../../shared/micro-batch';
import { SCORER_VERSION } from '../scoring';
import { decideRoute, recentCountThatMatters, requiredSkills, type RouteDecision } from '../routing';
import { computeDueTimes, loadSlaPolicies } from '../sla';
import { findTicketBySourceId } from '../tickets/ticket.repository';
import type { TicketSummarySource } from '../tickets/ticket-view';
import type { NewTicket } from './intake.schema';
import { scoreMessage } from './score-message';
import { insertTicket, type NewTicketRow } from './ticket-store';

/** Who asked: carried into the jobs a request causes, for following one request through the logs. */
export interface CallContext {
  requestId?: string;
}

export interface ReceiveResult {
  created: boolean;
  ticket: TicketSummarySource;
}

/**
 * Stores an incoming ticket once, with its routing decision, then hands it to the AI queue or
 * leaves it waiting for a person. A redelivery (same source and externalId) changes nothing.
 */
export async function receiveTicket(deps: Deps, input: NewTicket, ctx: CallContext = {}): Promise<ReceiveResult> {
  const { db, pool, cipher } = deps;
  const policy = deps.policies.current();
  // Only the words the customer wrote are scored; who they are never reaches the scorer.
  const score = scoreMessage('intake', { subject: input.subject, body: input.body });
  const slaPolicies = await loadSlaPolicies(db);
  const now = new Date();
  const customer = { aiOptOut: input.customer.aiOptOut, tier: input.customer.tier };
  const rowFor = (decision: RouteDecision, recentTicketCount: number | null): NewTicketRow => ({
    id: randomUUID(),
    input,
    score,
    decision,
    skills: requiredSkills(score),
    due: computeDueTimes(decision.priority, now, slaPolicies),
    scorerVersion: SCORER_VERSION,
    recentTicketCount,
    repeatSince: new Date(now.getTime() - policy.repeatContactWindowHours * 3_600_000),
    decidedBelow: recentCountThatMatters(policy),
    now,
  });

  // Decided as if the customer had written nothing recently, so that the write itself counts their
  // recent tickets (one round trip). The rare customer whose count changes the decision costs a second.
  let row = rowFor(decideRoute(score, { ...customer, recentTicketCount: 0 }, policy), null);
  let written = await insertTicket(pool, cipher, row);
  if (written.outcome === 'recount') {
    row = rowFor(decideRoute(score, { ...customer, recentTicketCount: written.recentTicketCount }, policy), written.recentTicketCount);
    written = await insertTicket(pool, cipher, row);
  }
  if (written.outcome !== 'created') {
    // A redelivery, or a concurrent delivery that committed first: answer with the stored ticket.
    const existing = await findTicketBySourceId(db, input.source, input.externalId);
    if (!existing) throw new Error('ticket conflict without a stored ticket');
    return { created: false, ticket: existing };
  }
  countDecision('intake', row.decision);
  const ticket = newTicketView(row);
  if (ticket.status === 'ai_queued') await enqueueAiAnswer(deps, { id: ticket.id, aiTurns: 0 }, ctx.requestId);
  return { created: true, ticket };
}

/** The stored ticket as intake answers it, built from what was just written instead of re-reading it. */
function newTicketView(row: NewTicketRow): TicketSummarySource {
  const { input, score, decision, due, now } = row;
  return {
    id: row.id,
    source: input.source,
    externalId: input.externalId,
    status: decision.route === 'ai' ? 'ai_queued' : 'human_queued',
    route: decision.route,
    priority: decision.priority,
    sentiment: score.sentiment,
    complexity: score.complexity,
    flags: score.flags,
    reasons: decision.reasons,
    language: score.language,
    skills: row.skills,
    firstResponseDueAt: due.firstResponseDueAt,
    resolutionDueAt: due.resolutionDueAt,
    createdAt: now,
  };
}

/** A job as Queue.add takes it. */
interface AiAnswerAdd {
  name: 'answer';
  data: { ticketId: string; requestId?: string };
  opts: JobsOptions;
}

// Concurrent requests' jobs go to Redis in one addBulk (one round trip) instead of one add each.
const aiAnswerAdder = batcherPer((queue: Queues['aiAnswer']) =>
  microBatcher<AiAnswerAdd, true>({
    maxItems: 100,
    maxInFlight: 2,
    async run(jobs) {
      // addBulk always goes through an ioredis pipeline; a lone job (the steady-rate case) skips it.
      if (jobs.length === 1) await queue.add(jobs[0].name, jobs[0].data, jobs[0].opts);
      else await queue.addBulk(jobs);
      return jobs.map(() => true as const);
    },
  }),
);

/**
 * Nudges the AI worker. Postgres already holds the ticket as ai_queued, so if Redis is down the
 * sweeper enqueues it later; intake still succeeds.
 */
export async function enqueueAiAnswer(
  deps: Pick<Deps, 'queues' | 'logger' | 'config'>,
  ticket: Pick<Ticket, 'id' | 'aiTurns'>,
  requestId?: string,
): Promise<boolean> {
  try {
    // BullMQ waits for a connection that may not come back; intake must not hang on it.
    await withTimeout(
      aiAnswerAdder(deps.queues.aiAnswer).add({
        name: 'answer',
        data: { ticketId: ticket.id, ...(requestId ? { requestId } : {}) },
        opts: { ...AI_ANSWER_JOB_OPTIONS, backoff: { type: 'exponential', delay: deps.config.ai.retryDelayMs }, jobId: aiJobId(ticket.id, ticket.aiTurns) },
      }),
      ENQUEUE_TIMEOUT_MS,
    );
    return true;
  } catch (err) {
    deps.logger.warn({ ticketId: ticket.id, requestId, err: { message: (err as Error).message } }, 'enqueue failed; sweeper will retry');
    return false;
  }
}

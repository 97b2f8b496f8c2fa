import { randomUUID } from 'node:crypto';
import type { Ticket } from '@prisma/client';
import type { Deps } from '../../shared/deps';
import { isUniqueViolation, type Tx } from '../../shared/db/prisma';
import { aiJobId, AI_ANSWER_JOB_OPTIONS } from '../../shared/queue/queues';
import { scoreTicket, SCORER_VERSION } from '../scoring';
import { decideRoute, requiredSkills } from '../routing';
import { computeDueTimes, loadSlaPolicies } from '../sla';
import { findTicketBySourceId } from '../tickets/ticket.repository';
import type { NewTicket } from './intake.schema';

export interface ReceiveResult {
  created: boolean;
  ticket: Ticket;
}

/**
 * Stores an incoming ticket once, with its routing decision, then hands it to the AI queue or
 * leaves it waiting for a person. A redelivery (same source and externalId) changes nothing.
 */
export async function receiveTicket(deps: Deps, input: NewTicket): Promise<ReceiveResult> {
  const { db, cipher, policy } = deps;
  const existing = await findTicketBySourceId(db, input.source, input.externalId);
  if (existing) return { created: false, ticket: existing };

  // Only the words the customer wrote are scored; who they are never reaches the scorer.
  const score = scoreTicket({ subject: input.subject, body: input.body });
  const slaPolicies = await loadSlaPolicies(db);
  const id = randomUUID();
  const now = new Date();

  let ticket: Ticket;
  try {
    ticket = await db.$transaction(async (tx) => {
      const customerId = await upsertCustomer(tx, deps, input);
      const recentTicketCount = await tx.ticket.count({
        where: { customerId, createdAt: { gte: new Date(now.getTime() - policy.repeatContactWindowHours * 3_600_000) } },
      });
      const decision = decideRoute(score, { aiOptOut: input.customer.aiOptOut, tier: input.customer.tier, recentTicketCount }, policy);
      const due = computeDueTimes(decision.priority, now, slaPolicies);
      const humanRequested = score.flags.includes('human_requested');
      const created = await tx.ticket.create({
        data: {
          id,
          source: input.source,
          externalId: input.externalId,
          customerId,
          channel: input.channel,
          subjectEnc: input.subject ? cipher.encrypt(input.subject) : null,
          callbackUrl: input.callbackUrl ?? null,
          metadata: input.metadata,
          status: decision.route === 'ai' ? 'ai_queued' : 'human_queued',
          route: decision.route,
          initialRoute: decision.route,
          priority: decision.priority,
          sentiment: score.sentiment,
          complexity: score.complexity,
          flags: score.flags,
          reasons: decision.reasons as object[],
          language: score.language,
          skills: requiredSkills(score),
          customerLocale: input.customer.locale?.toLowerCase() ?? null,
          customerTier: input.customer.tier,
          queuedAt: now,
          humanRequestedAt: humanRequested ? now : null,
          humanRequestDueAt: humanRequested ? due.humanRequestDueAt : null,
          firstResponseDueAt: due.firstResponseDueAt,
          resolutionDueAt: due.resolutionDueAt,
          createdAt: now,
          messages: { create: { author: 'customer', bodyEnc: cipher.encrypt(input.body), createdAt: now } },
          decisions: {
            create: {
              trigger: 'intake',
              route: decision.route,
              priority: decision.priority,
              sentiment: score.sentiment,
              complexity: score.complexity,
              flags: score.flags,
              reasons: decision.reasons as object[],
              language: score.language,
              scorerVersion: SCORER_VERSION,
              policyVersion: decision.policyVersion,
              createdAt: now,
            },
          },
          events: { create: { type: decision.route === 'ai' ? 'ai_queued' : 'human_queued', data: { trigger: 'intake' }, createdAt: now } },
        },
      });
      return created;
    });
  } catch (e) {
    // A concurrent delivery of the same ticket committed first: answer with its ticket.
    if (isUniqueViolation(e)) {
      const winner = await findTicketBySourceId(db, input.source, input.externalId);
      if (winner) return { created: false, ticket: winner };
    }
    throw e;
  }

  if (ticket.status === 'ai_queued') await enqueueAiAnswer(deps, ticket);
  return { created: true, ticket };
}

/**
 * Nudges the AI worker. Postgres already holds the ticket as ai_queued, so if Redis is down the
 * sweeper enqueues it later; intake still succeeds.
 */
export async function enqueueAiAnswer(deps: Pick<Deps, 'queues' | 'logger'>, ticket: Pick<Ticket, 'id' | 'aiTurns'>): Promise<boolean> {
  try {
    await deps.queues.aiAnswer.add('answer', { ticketId: ticket.id }, { ...AI_ANSWER_JOB_OPTIONS, jobId: aiJobId(ticket.id, ticket.aiTurns) });
    return true;
  } catch (err) {
    deps.logger.warn({ ticketId: ticket.id, err: { message: (err as Error).message } }, 'enqueue failed; sweeper will retry');
    return false;
  }
}

async function upsertCustomer(tx: Tx, deps: Deps, input: NewTicket): Promise<string> {
  const c = input.customer;
  const enc = (v?: string) => (v ? deps.cipher.encrypt(v) : null);
  // One statement, safe under concurrent deliveries for the same customer.
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO customers (id, source, external_id, name_enc, email_enc, phone_enc, locale, tier, ai_opt_out)
    VALUES (${randomUUID()}::uuid, ${input.source}, ${c.externalId}, ${enc(c.name)}, ${enc(c.email)}, ${enc(c.phone)},
            ${c.locale ?? null}, ${c.tier}::"Tier", ${c.aiOptOut})
    ON CONFLICT (source, external_id) DO UPDATE SET
      name_enc = COALESCE(EXCLUDED.name_enc, customers.name_enc),
      email_enc = COALESCE(EXCLUDED.email_enc, customers.email_enc),
      phone_enc = COALESCE(EXCLUDED.phone_enc, customers.phone_enc),
      locale = COALESCE(EXCLUDED.locale, customers.locale),
      tier = EXCLUDED.tier,
      ai_opt_out = EXCLUDED.ai_opt_out,
      erased_at = NULL,
      updated_at = now()
    RETURNING id`;
  return rows[0].id;
}

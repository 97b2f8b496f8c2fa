import { slaBreaches } from '../../shared/metrics';
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { Deps } from '../../shared/deps';
import { QUEUE_NAMES, createWorkerRedis } from '../../shared/queue/queues';
import { SCORER_VERSION } from '../scoring';
import { enqueueSupervisorWebhook, startSupervisorWebhookWorker, type SupervisorWebhookJob } from './supervisor-webhook';

const OPEN = `('ai_queued','human_queued','assigned')`;
/**
 * Breaches marked per transaction. The transaction holds its tickets' locks until it commits, and a claim skips
 * locked rows, so the watcher keeps its batches small: among them are the most overdue waiting tickets, the ones
 * agents should take first. A run goes on batch after batch, so a backlog still drains quickly.
 */
const BATCH = 100;
/** Batches per clock per run; a larger backlog is finished by the next runs. */
const MAX_BATCHES_PER_RUN = 50;
/** Stranded supervisor deliveries nudged again per run. */
const STRANDED_BATCH = 500;

type Clock = 'first_response' | 'resolution' | 'human_request';

// Whitelisted SQL per clock: which tickets still owe this clock, its due column and its once-only mark.
const CLOCKS: Record<Clock, { pending: string; due: string; mark: string; detail: string }> = {
  first_response: {
    pending: 't.first_responded_at IS NULL AND t.ai_answered_at IS NULL',
    due: 'first_response_due_at',
    mark: 'first_response_breached_at',
    detail: 'The first response was not sent by its due time.',
  },
  resolution: { pending: 'TRUE', due: 'resolution_due_at', mark: 'resolution_breached_at', detail: 'The ticket was not resolved by its due time.' },
  human_request: {
    pending: 't.human_requested_at IS NOT NULL AND t.human_responded_at IS NULL',
    due: 'human_request_due_at',
    mark: 'human_request_breached_at',
    detail: 'The customer asked for a person and no person answered by the due time.',
  },
};

export interface Breach {
  ticketId: string;
  clock: Clock;
  dueAt: Date;
  priority: string;
  deliveryId: string | null;
}

interface MarkedRow {
  id: string;
  route: 'ai' | 'human';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  sentiment: number;
  complexity: number;
  flags: string[];
  language: string;
  status: string;
  source: string;
  external_id: string;
  due_at: Date;
}

/**
 * One batch of one clock in one transaction: the guarded UPDATE, then the decision, event and supervisor delivery of
 * every ticket it marked.
 */
function markBatch(deps: Pick<Deps, 'db' | 'cipher' | 'config' | 'policies'>, clock: Clock, now: Date): Promise<Breach[]> {
  const c = CLOCKS[clock];
  const url = deps.config.sla.supervisorWebhookUrl;
  return deps.db.$transaction(async (tx) => {
    const rows = await tx.$queryRawUnsafe<MarkedRow[]>(
      `WITH due AS (
         SELECT t.id FROM tickets t
         WHERE t.status IN ${OPEN} AND ${c.pending} AND t.${c.due} <= $1 AND t.${c.mark} IS NULL
         ORDER BY t.${c.due} LIMIT ${BATCH}
         FOR UPDATE SKIP LOCKED)
       UPDATE tickets t SET ${c.mark} = $1, updated_at = $1,
         priority = (CASE t.priority WHEN 'low' THEN 'normal' WHEN 'normal' THEN 'high' ELSE 'urgent' END)::"Priority",
         reasons = t.reasons || jsonb_build_array(jsonb_build_object('code', 'SLA_BREACH', 'detail', $2::text))
       FROM due WHERE t.id = due.id AND t.${c.mark} IS NULL
       RETURNING t.id::text AS id, t.route::text AS route, t.priority::text AS priority, t.sentiment, t.complexity, t.flags, t.language,
         t.status::text AS status, t.source, t.external_id, t.${c.due} AS due_at`,
      now,
      c.detail,
    );
    if (rows.length === 0) return [];
    const reasons = [{ code: 'SLA_BREACH', detail: c.detail, clock }];
    await tx.decision.createMany({
      data: rows.map((r) => ({
        ticketId: r.id, trigger: 'sla_breach', route: r.route, priority: r.priority, sentiment: r.sentiment, complexity: r.complexity,
        flags: r.flags, reasons, language: r.language, scorerVersion: SCORER_VERSION, policyVersion: deps.policies.current().version, createdAt: now,
      })),
    });
    await tx.ticketEvent.createMany({
      data: rows.map((r) => ({ ticketId: r.id, type: 'sla_breached', data: { clock, dueAt: r.due_at.toISOString(), priority: r.priority }, createdAt: now })),
    });
    const out: Breach[] = rows.map((r) => ({ ticketId: r.id, clock, dueAt: r.due_at, priority: r.priority, deliveryId: url ? randomUUID() : null }));
    for (const r of rows) slaBreaches.inc({ kind: clock, priority: r.priority });
    if (url) {
      await tx.delivery.createMany({
        data: out.map((b, i) => ({
          id: b.deliveryId!, ticketId: b.ticketId, event: 'sla.breached', url,
          payloadEnc: deps.cipher.encrypt(JSON.stringify({
            event: 'sla.breached', deliveryId: b.deliveryId, ticketId: b.ticketId, source: rows[i].source, externalId: rows[i].external_id,
            clock, dueAt: b.dueAt.toISOString(), breachedAt: now.toISOString(), priority: b.priority, status: rows[i].status,
          })),
          createdAt: now,
        })),
      });
    }
    return out;
  });
}

/**
 * Marks every missed due time once: the guarded UPDATE (`mark IS NULL`, rows locked with SKIP
 * LOCKED) lets any number of watchers run at once and still record each breach exactly once. The
 * winner, in the same transaction, raises the priority one step, records an SLA_BREACH decision and
 * event, and stores the supervisor webhook delivery (the outbox) that is sent after commit. Each clock
 * is marked BATCH tickets per transaction, until none is left or the run has done its share.
 */
export async function markBreaches(deps: Pick<Deps, 'db' | 'cipher' | 'config' | 'policies' | 'logger'>, queue: Queue<SupervisorWebhookJob> | null, now = new Date()): Promise<Breach[]> {
  const breaches: Breach[] = [];
  for (const clock of Object.keys(CLOCKS) as Clock[]) {
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const found = await markBatch(deps, clock, now);
      breaches.push(...found);
      // Each batch's alerts leave after its commit, not after the rest of a backlog.
      if (queue) for (const b of found) if (b.deliveryId) await enqueueSupervisorWebhook(queue, b.deliveryId).catch(() => undefined);
      if (found.length < BATCH) break;
    }
  }
  if (queue) await resendStrandedDeliveries(deps, queue, now);
  if (breaches.length > 0) deps.logger.info({ breaches: breaches.length }, 'sla breaches marked');
  return breaches;
}

/** Deliveries whose nudge was lost (Redis down right after commit) are nudged again; job ids dedupe. */
async function resendStrandedDeliveries(deps: Pick<Deps, 'db'>, queue: Queue<SupervisorWebhookJob>, now: Date): Promise<void> {
  const stranded = await deps.db.delivery.findMany({
    where: { event: 'sla.breached', status: 'pending', attempts: 0, createdAt: { lt: new Date(now.getTime() - 60_000) } },
    select: { id: true },
    take: STRANDED_BATCH,
  });
  for (const d of stranded) await enqueueSupervisorWebhook(queue, d.id).catch(() => undefined);
}

/**
 * The watcher as a BullMQ job scheduler: one repeatable job every SLA_WATCH_INTERVAL_MS shared by
 * all worker processes (upsert is idempotent), plus the supervisor webhook worker.
 */
export async function startBreachWatcher(deps: Deps): Promise<{ close(): Promise<void> }> {
  const connection = createWorkerRedis(deps.config.redisUrl);
  connection.on('error', () => undefined);
  const prefix = deps.config.queuePrefix;
  const webhook = startSupervisorWebhookWorker(deps, connection);
  const watchQueue = new Queue(QUEUE_NAMES.slaWatch, { connection, prefix });
  watchQueue.on('error', () => undefined);
  await watchQueue.upsertJobScheduler('sla-watch', { every: deps.config.sla.watchIntervalMs }, { name: 'watch', opts: { removeOnComplete: true, removeOnFail: 100 } });
  const worker = new Worker(QUEUE_NAMES.slaWatch, async () => void (await markBreaches(deps, webhook.queue)), { connection, prefix, concurrency: 1 });
  worker.on('error', (err) => deps.logger.warn({ err: { message: err.message } }, 'sla watcher error'));
  return {
    async close() {
      await worker.close();
      await watchQueue.close();
      await webhook.close();
      connection.disconnect();
    },
  };
}

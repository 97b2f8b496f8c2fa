import type { Deps } from '../../shared/deps';
import { aiJobId } from '../../shared/queue/queues';
import { enqueueAiAnswer } from './receive-ticket';

/** Tickets younger than this are left alone: their own enqueue is probably still in flight. */
const GRACE_MS = 10_000;
const BATCH = 500;

/**
 * Re-enqueues ai_queued tickets: Postgres is the source of truth and a job is only a nudge, so a
 * Redis outage or a crash between commit and enqueue delays tickets but loses none. Job ids are
 * deterministic, so a ticket whose job still exists is not queued twice.
 */
export async function sweepAiQueue(deps: Pick<Deps, 'db' | 'queues' | 'logger' | 'config'>, now = new Date()): Promise<number> {
  const stale = await deps.db.ticket.findMany({
    where: { status: 'ai_queued', updatedAt: { lt: new Date(now.getTime() - GRACE_MS) } },
    select: { id: true, aiTurns: true },
    orderBy: { updatedAt: 'asc' },
    take: BATCH,
  });
  let enqueued = 0;
  for (const t of stale) if ((await reviveFailedJob(deps, t)) || (await enqueueAiAnswer(deps, t))) enqueued++;
  if (stale.length > 0) deps.logger.debug({ stale: stale.length, enqueued }, 'ai queue swept');
  return enqueued;
}

/**
 * A job that ran out of attempts while its ticket is still ai_queued failed before it could hand
 * the ticket to a person (its last attempt met Postgres down, say). Its id blocks a new job for
 * seven days, so the same job goes back to waiting with fresh attempts; a second sweeper doing the
 * same finds it no longer failed, which BullMQ refuses harmlessly.
 */
async function reviveFailedJob(deps: Pick<Deps, 'queues' | 'logger'>, ticket: { id: string; aiTurns: number }): Promise<boolean> {
  try {
    const job = await deps.queues.aiAnswer.getJob(aiJobId(ticket.id, ticket.aiTurns));
    if (!job || !(await job.isFailed())) return false;
    const failedReason = job.failedReason;
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    deps.logger.warn({ ticketId: ticket.id, failedReason }, 'failed ai job revived for a ticket still ai_queued');
    return true;
  } catch {
    return false;
  }
}

/** Runs the sweep every interval; returns a stop function. */
export function startAiQueueSweeper(deps: Pick<Deps, 'db' | 'queues' | 'logger' | 'config'>, intervalMs: number): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await sweepAiQueue(deps);
    } catch (err) {
      deps.logger.warn({ err: { message: (err as Error).message } }, 'ai queue sweep failed');
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

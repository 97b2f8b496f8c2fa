import type { Deps } from '../../shared/deps';
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
  for (const t of stale) if (await enqueueAiAnswer(deps, t)) enqueued++;
  if (stale.length > 0) deps.logger.debug({ stale: stale.length, enqueued }, 'ai queue swept');
  return enqueued;
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

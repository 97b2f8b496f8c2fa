import { createHmac } from 'node:crypto';
import { Queue, Worker, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Deps } from '../../shared/deps';
import { QUEUE_NAMES } from '../../shared/queue/queues';

export interface SupervisorWebhookJob {
  deliveryId: string;
}

/** About an hour of retries (2 s doubling, 12 attempts) before the delivery is kept as failed. */
export const SUPERVISOR_WEBHOOK_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};

const TIMEOUT_MS = 10_000;

/** The contract's outbound signature: `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
export function signPayload(secret: string, body: string, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** Nudges the delivery worker; the delivery row is the record, so a lost nudge is re-sent by the watcher. */
export async function enqueueSupervisorWebhook(queue: Queue<SupervisorWebhookJob>, deliveryId: string): Promise<void> {
  await queue.add('deliver', { deliveryId }, { ...SUPERVISOR_WEBHOOK_JOB_OPTIONS, jobId: deliveryId });
}

/**
 * POSTs one stored sla.breached event to the supervisor webhook. Throws on a non-2xx answer so
 * BullMQ retries with backoff; the last failure is kept on the delivery row for inspection.
 */
export async function deliverSupervisorWebhook(deps: Pick<Deps, 'db' | 'cipher' | 'config'>, deliveryId: string, finalAttempt: boolean): Promise<void> {
  const delivery = await deps.db.delivery.findUnique({ where: { id: deliveryId } });
  if (!delivery || delivery.status !== 'pending' || !delivery.payloadEnc) return;
  const body = deps.cipher.decrypt(delivery.payloadEnc);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'handoff-sla-watcher' };
  const secret = deps.config.sla.supervisorWebhookSecret;
  if (secret) headers['x-handoff-signature'] = signPayload(secret, body);
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(delivery.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' });
    status = res.status;
    await res.body?.cancel().catch(() => undefined);
    if (res.ok) {
      await deps.db.delivery.update({ where: { id: deliveryId }, data: { status: 'delivered', deliveredAt: new Date(), lastStatus: status, attempts: { increment: 1 } } });
      return;
    }
    error = `HTTP ${status}`;
  } catch (e) {
    error = (e as Error).message.slice(0, 500);
  }
  await deps.db.delivery.update({
    where: { id: deliveryId },
    data: { attempts: { increment: 1 }, lastStatus: status, lastError: error, ...(finalAttempt ? { status: 'failed' } : {}) },
  });
  throw new Error(`supervisor webhook failed: ${error}`);
}

/** The queue and its worker; safe in any number of processes (jobs are per delivery id). */
export function startSupervisorWebhookWorker(deps: Deps, connection: ConnectionOptions) {
  const queue = new Queue<SupervisorWebhookJob>(QUEUE_NAMES.supervisorWebhook, { connection, prefix: deps.config.queuePrefix });
  queue.on('error', () => undefined);
  const worker = new Worker<SupervisorWebhookJob>(
    QUEUE_NAMES.supervisorWebhook,
    (job) => deliverSupervisorWebhook(deps, job.data.deliveryId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1)),
    { connection, prefix: deps.config.queuePrefix, concurrency: 5 },
  );
  worker.on('error', (err) => deps.logger.warn({ err: { message: err.message } }, 'supervisor webhook worker error'));
  worker.on('failed', (job, err) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) deps.logger.error({ deliveryId: job.data.deliveryId, err: { message: err.message } }, 'supervisor webhook gave up');
  });
  return {
    queue,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

import { deliveryFailures } from '../../shared/metrics';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Deps } from '../../shared/deps';
import { createWorkerRedis, QUEUE_NAMES, type DeliveryJob } from '../../shared/queue/queues';
import { callbackRefusal } from '../intake/callback-url';
import { enqueueDelivery } from './deliver-message';
import { postCallback } from './post-callback';
import { signatureHeader } from './signer';

/** Rows younger than this are left alone: the enqueue right after their commit is probably in flight. */
const SWEEP_GRACE_MS = 5_000;

// The per-attempt statements run on the plain pg pool, one round trip each: through Prisma the read,
// the signing secret and the outcome were three client calls, each compiled in JS, per delivery.
const READ_DELIVERY = `
  SELECT d.id, d.status, d.url, d.payload_enc AS "payloadEnc", s.signing_secrets_enc[1] AS "secretEnc"
    FROM deliveries d
    JOIN tickets t ON t.id = d.ticket_id
    LEFT JOIN sources s ON s.name = t.source
   WHERE d.id = $1`;

const RECORD_ATTEMPT = `
  UPDATE deliveries
     SET status = $2::"DeliveryStatus", attempts = attempts + 1, last_status = $3, last_error = $4,
         delivered_at = coalesce($5, delivered_at), updated_at = $6
   WHERE id = $1`;

/**
 * One delivery attempt. The resolved address is checked again before every request, because a
 * name that was public at intake may point into the private network now (DNS rebinding).
 */
export async function processDelivery(deps: Deps, job: Pick<Job<DeliveryJob>, 'data' | 'attemptsMade' | 'opts'>): Promise<void> {
  const { db, pool, cipher, config } = deps;
  const { rows } = await pool.query<{ id: string; status: string; url: string; payloadEnc: string | null; secretEnc: string | null }>({
    name: 'delivery-read',
    text: READ_DELIVERY,
    values: [job.data.deliveryId],
  });
  const delivery = rows[0];
  if (!delivery || delivery.status !== 'pending' || !delivery.payloadEnc) return;
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

  const refusal = await callbackRefusal(delivery.url, config.callbackAllowedHosts);
  if (refusal) {
    await db.delivery.update({ where: { id: delivery.id }, data: { status: 'failed', attempts: { increment: 1 }, lastError: `refused: ${refusal}` } });
    throw new UnrecoverableError(`callback refused: ${refusal}`);
  }

  const body = cipher.decrypt(delivery.payloadEnc);
  const secret = delivery.secretEnc ? cipher.decrypt(delivery.secretEnc) : undefined;
  let status: number | undefined;
  let error: string | undefined;
  try {
    status = await postCallback(
      delivery.url,
      {
        'content-type': 'application/json',
        'user-agent': 'Handoff-Delivery/1',
        'x-handoff-delivery': delivery.id,
        ...(secret ? { 'x-handoff-signature': signatureHeader(secret, body) } : {}),
      },
      body,
      config.delivery.timeoutMs,
    );
    if (status < 200 || status >= 300) error = `callback answered ${status}`;
  } catch (e) {
    error = (e as Error).name === 'TimeoutError' ? 'callback timed out' : `request failed: ${(e as Error).message}`;
  }

  const now = new Date();
  const outcome = !error ? 'delivered' : lastAttempt ? 'failed' : 'pending';
  await pool.query({
    name: 'delivery-attempted',
    text: RECORD_ATTEMPT,
    values: [delivery.id, outcome, status ?? null, error ?? null, outcome === 'delivered' ? now : null, now],
  });
  if (!error) return;
  deliveryFailures.inc({ outcome: lastAttempt ? 'exhausted' : 'retrying' });
  throw new Error(error);
}

/**
 * The outbox relay: enqueues pending deliveries that have no live job, because Redis was down at
 * the commit, the process died between commit and enqueue, or Redis lost its jobs. Safe in several
 * processes at once: the job id is the delivery id, so a second enqueue of a live job is a no-op,
 * and a job for a row delivered meanwhile finds it no longer pending and does nothing.
 */
export async function sweepDeliveries(deps: Deps, now = new Date()): Promise<number> {
  const stale = await deps.db.delivery.findMany({
    where: { status: 'pending', updatedAt: { lt: new Date(now.getTime() - SWEEP_GRACE_MS) } },
    select: { id: true },
    orderBy: { updatedAt: 'asc' },
    take: 500,
  });
  let n = 0;
  for (const d of stale) {
    // A job still waiting in backoff keeps its id, so this only revives lost ones.
    const job = await deps.queues.delivery.getJob(d.id);
    if (!job && (await enqueueDelivery(deps, d.id))) n++;
  }
  return n;
}

/** The delivery worker plus its sweeper; `close()` lets active requests finish. */
export function startDeliveryWorker(deps: Deps): { worker: Worker<DeliveryJob>; close(): Promise<void> } {
  const connection = createWorkerRedis(deps.config.redisUrl);
  const worker = new Worker<DeliveryJob>(QUEUE_NAMES.delivery, (job) => processDelivery(deps, job), {
    connection,
    prefix: deps.config.queuePrefix,
    concurrency: deps.config.workerConcurrency * 2,
  });
  worker.on('error', (err) => deps.logger.debug({ err: { message: err.message } }, 'delivery worker connection error'));
  worker.on('failed', (job, err) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) deps.logger.warn({ deliveryId: job.data.deliveryId, err: { message: err.message } }, 'delivery failed for good');
  });
  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweepDeliveries(deps)
      .catch((err) => deps.logger.warn({ err: { message: (err as Error).message } }, 'delivery sweep failed'))
      .finally(() => (sweeping = false));
  }, deps.config.sweepIntervalMs);
  timer.unref();
  return {
    worker,
    async close() {
      clearInterval(timer);
      await worker.close();
      connection.disconnect();
    },
  };
}

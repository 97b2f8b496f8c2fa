import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';

export const QUEUE_NAMES = {
  aiAnswer: 'ai-answer',
  delivery: 'delivery',
  maintenance: 'maintenance',
  slaWatch: 'sla-watch',
  supervisorWebhook: 'supervisor-webhook',
  statsRollup: 'stats-rollup',
} as const;

/** Job data carries ids only: BullMQ stores job data in clear text in Redis. */
export interface AiAnswerJob {
  ticketId: string;
  /** The HTTP request that caused the job, so its logs can be followed into the worker. */
  requestId?: string;
}

export const AI_ANSWER_JOB_OPTIONS: JobsOptions = {
  attempts: 4,
  backoff: { type: 'exponential', delay: 2_000 },
  // Removed on completion so the same job id can be used again after a state change.
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * A connection for code on the request path: no offline queue and few retries, so a Redis
 * outage fails fast (the caller answers 503 or relies on the sweeper) instead of hanging.
 */
export function createApiRedis(url: string): Redis {
  return new IORedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, lazyConnect: false });
}

/** Workers block on Redis; BullMQ requires maxRetriesPerRequest: null for them. */
export function createWorkerRedis(url: string): Redis {
  return new IORedis(url, { maxRetriesPerRequest: null });
}

/** A delivery job names its `deliveries` row; the payload stays encrypted in Postgres. */
export interface DeliveryJob {
  deliveryId: string;
}

export interface Queues {
  aiAnswer: Queue<AiAnswerJob>;
  delivery: Queue<DeliveryJob>;
  close(): Promise<void>;
}

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const aiAnswer = new Queue<AiAnswerJob>(QUEUE_NAMES.aiAnswer, { connection, prefix });
  // The API must not crash on a Redis outage; errors surface per call instead.
  aiAnswer.on('error', () => undefined);
  const delivery = new Queue<DeliveryJob>(QUEUE_NAMES.delivery, { connection, prefix });
  delivery.on('error', () => undefined);
  return {
    aiAnswer,
    delivery,
    async close() {
      await Promise.all([aiAnswer.close(), delivery.close()]);
    },
  };
}

/** The AI job for a ticket's current turn: unique per turn so a follow-up is never deduplicated away. */
export function aiJobId(ticketId: string, aiTurns: number): string {
  return aiTurns === 0 ? ticketId : `${ticketId}-${aiTurns}`;
}

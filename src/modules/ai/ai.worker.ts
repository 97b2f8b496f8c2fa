import { jobOutcomes } from '../../shared/metrics';
import { Worker } from 'bullmq';
import type { Deps } from '../../shared/deps';
import { createWorkerRedis, QUEUE_NAMES, type AiAnswerJob } from '../../shared/queue/queues';
import { processAnswerTicket } from './answer-ticket.processor';
import { createKbProvider } from './kb-provider';
import { createOpenAiProvider } from './openai-provider';
import type { AiProvider } from './provider';

/** The provider AI_PROVIDER names. */
export function createProvider(deps: Pick<Deps, 'pool' | 'config'>): AiProvider {
  return deps.config.ai.provider === 'openai' ? createOpenAiProvider(deps.pool, deps.config.ai.openai) : createKbProvider(deps.pool);
}

/**
 * The `ai-answer` worker (WORKER_CONCURRENCY jobs at once). `close()` waits for active jobs to
 * finish before closing its connection, which is what SIGTERM calls through startWorkers.
 */
export function startAiWorker(deps: Deps, provider: AiProvider = createProvider(deps)): { worker: Worker<AiAnswerJob>; close(): Promise<void> } {
  const connection = createWorkerRedis(deps.config.redisUrl);
  const worker = new Worker<AiAnswerJob>(QUEUE_NAMES.aiAnswer, (job) => processAnswerTicket(deps, provider, job), {
    connection,
    prefix: deps.config.queuePrefix,
    concurrency: deps.config.workerConcurrency,
    lockDuration: deps.config.jobLockMs,
    stalledInterval: Math.max(1_000, Math.floor(deps.config.jobLockMs / 2)),
  });
  worker.on('error', (err) => deps.logger.debug({ err: { message: err.message } }, 'ai worker connection error'));
  worker.on('completed', () => jobOutcomes.inc({ queue: QUEUE_NAMES.aiAnswer, outcome: 'completed' }));
  worker.on('failed', (job) =>
    jobOutcomes.inc({ queue: QUEUE_NAMES.aiAnswer, outcome: job && job.attemptsMade >= (job.opts.attempts ?? 1) ? 'exhausted' : 'failed' }),
  );
  return {
    worker,
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}

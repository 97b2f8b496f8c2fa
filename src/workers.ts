import type { Deps } from './shared/deps';
import { startAiQueueSweeper } from './modules/intake/requeue-sweeper';
import { startAiWorker } from './modules/ai';
import { startDeliveryWorker } from './modules/delivery';

/**
 * Background work of a worker process; each piece is safe to run in several processes at once.
 * close() stops taking jobs and waits for active ones (BullMQ Worker.close), for SIGTERM.
 */
export async function startWorkers(deps: Deps): Promise<{ close(): Promise<void> }> {
  const stopSweeper = startAiQueueSweeper(deps, deps.config.sweepIntervalMs);
  const ai = startAiWorker(deps);
  const delivery = startDeliveryWorker(deps);
  return {
    async close() {
      stopSweeper();
      await Promise.all([ai.close(), delivery.close()]);
    },
  };
}

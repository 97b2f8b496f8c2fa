import type { Deps } from './shared/deps';
import { startAiQueueSweeper } from './modules/intake/requeue-sweeper';
import { startAiWorker } from './modules/ai';
import { startDeliveryWorker } from './modules/delivery';
import { startRetentionJob } from './modules/privacy/retention';
import { startStuckWorkSweeper } from './modules/agents';
import { startBreachWatcher } from './modules/sla/breach-watcher';
import { startStatsRollup } from './modules/stats/stats-rollup';

/**
 * Background work of a worker process; each piece is safe to run in several processes at once.
 * close() stops taking jobs and waits for active ones (BullMQ Worker.close), for SIGTERM.
 */
export async function startWorkers(deps: Deps): Promise<{ close(): Promise<void> }> {
  const stopSweeper = startAiQueueSweeper(deps, deps.config.sweepIntervalMs);
  const ai = startAiWorker(deps);
  const delivery = startDeliveryWorker(deps);
  const stopRetention = startRetentionJob(deps, deps.config.retentionDays, deps.config.retentionIntervalMs);
  const stopStuckWork = startStuckWorkSweeper(deps, deps.config.agents.sweepIntervalMs);
  const breachWatcher = await startBreachWatcher(deps);
  const statsRollup = await startStatsRollup(deps);
  return {
    async close() {
      stopSweeper();
      stopRetention();
      stopStuckWork();
      await Promise.all([ai.close(), delivery.close(), breachWatcher.close(), statsRollup.close()]);
    },
  };
}

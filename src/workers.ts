import type { Deps } from './shared/deps';
import { startAiQueueSweeper } from './modules/intake/requeue-sweeper';
import { startRetentionJob } from './modules/privacy/retention';

/** Background work of a worker process; each piece is safe to run in several processes at once. */
export async function startWorkers(deps: Deps): Promise<{ close(): Promise<void> }> {
  const stopSweeper = startAiQueueSweeper(deps, deps.config.sweepIntervalMs);
  const stopRetention = startRetentionJob(deps, deps.config.retentionDays, deps.config.retentionIntervalMs);
  return {
    async close() {
      stopSweeper();
      stopRetention();
    },
  };
}

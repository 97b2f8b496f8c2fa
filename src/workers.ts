import type { Deps } from './shared/deps';
import { startAiQueueSweeper } from './modules/intake/requeue-sweeper';
import { startBreachWatcher } from './modules/sla/breach-watcher';

/** Background work of a worker process; each piece is safe to run in several processes at once. */
export async function startWorkers(deps: Deps): Promise<{ close(): Promise<void> }> {
  const stopSweeper = startAiQueueSweeper(deps, deps.config.sweepIntervalMs);
  const breachWatcher = await startBreachWatcher(deps);
  return {
    async close() {
      stopSweeper();
      await breachWatcher.close();
    },
  };
}

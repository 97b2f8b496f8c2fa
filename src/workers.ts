import type { Deps } from './shared/deps';
import { startAiQueueSweeper } from './modules/intake/requeue-sweeper';
import { startStuckWorkSweeper } from './modules/agents';

/** Background work of a worker process; each piece is safe to run in several processes at once. */
export async function startWorkers(deps: Deps): Promise<{ close(): Promise<void> }> {
  const stopSweeper = startAiQueueSweeper(deps, deps.config.sweepIntervalMs);
  const stopStuckWork = startStuckWorkSweeper(deps, deps.config.agents.sweepIntervalMs);
  return {
    async close() {
      stopSweeper();
      stopStuckWork();
    },
  };
}

import type { Logger } from '../logger';

type Step = { name: string; run: () => Promise<unknown> | unknown };

/**
 * Ordered shutdown: stop taking work, finish what is in flight, then close connections. A timer
 * forces the exit if a step hangs, so an orchestrator's SIGKILL is never the only way out.
 */
export function registerShutdown(logger: Logger, timeoutMs: number, steps: Step[]): (reason: string, code?: number) => Promise<void> {
  let stopping = false;
  const shutdown = async (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    const force = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown deadline passed; exiting');
      process.exit(1);
    }, timeoutMs);
    force.unref();
    for (const step of steps) {
      try {
        await step.run();
        logger.info({ step: step.name }, 'shutdown step done');
      } catch (err) {
        logger.warn({ step: step.name, err: { message: (err as Error).message } }, 'shutdown step failed');
      }
    }
    clearTimeout(force);
    logger.info('stopped');
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    void shutdown('uncaughtException', 1);
  });
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    void shutdown('unhandledRejection', 1);
  });
  return shutdown;
}

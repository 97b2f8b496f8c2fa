/**
 * Rejects when `p` takes longer than `ms`. BullMQ calls wait for a Redis connection that may not
 * come back; request paths must not hang on them.
 */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]);
}

/** How long a request path waits for Redis to accept a job before leaving it to a sweeper. */
export const ENQUEUE_TIMEOUT_MS = 1_500;

/**
 * Group commit for hot paths: calls that arrive while earlier ones are being written join one batch,
 * so many requests share one statement (and one WAL flush) or one Redis round trip. Each caller still
 * gets its own result, and only after the batch it sat in has finished.
 *
 * A batch starts on the next turn of the event loop, so a lone call waits for nothing; under load,
 * calls arriving while `maxInFlight` batches are out simply wait for the next one, and batches grow.
 */
export interface MicroBatchOptions<I, O> {
  /** Runs one batch; must return one result per item, in order. */
  run(items: I[]): Promise<O[]>;
  maxItems: number;
  maxInFlight: number;
  /**
   * When a batch fails with an error this accepts, its items are retried one by one, so a single
   * bad item does not fail the others. Errors such as a lost connection fail the whole batch.
   * The retries run one after another in arrival order: run at once, a retry that fails could still
   * hold row locks that make a later one skip or wait for rows it would have taken alone.
   */
  retrySingly?(err: unknown): boolean;
}

interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(err: unknown): void;
}

export interface MicroBatcher<I, O> {
  add(item: I): Promise<O>;
}

export function microBatcher<I, O>(options: MicroBatchOptions<I, O>): MicroBatcher<I, O> {
  let waiting: Waiting<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const settle = async (batch: Waiting<I, O>[]): Promise<void> => {
    try {
      const results = await options.run(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (err) {
      if (batch.length > 1 && options.retrySingly?.(err)) {
        for (const w of batch) await settle([w]);
      } else {
        for (const w of batch) w.reject(err);
      }
    }
  };

  const flush = (): void => {
    scheduled = false;
    while (waiting.length > 0 && inFlight < options.maxInFlight) {
      const batch = waiting.length <= options.maxItems ? waiting : waiting.slice(0, options.maxItems);
      waiting = waiting.length <= options.maxItems ? [] : waiting.slice(options.maxItems);
      inFlight++;
      void settle(batch).finally(() => {
        inFlight--;
        schedule();
      });
    }
  };

  function schedule(): void {
    if (scheduled || waiting.length === 0 || inFlight >= options.maxInFlight) return;
    scheduled = true;
    setImmediate(flush);
  }

  return {
    add(item) {
      return new Promise<O>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        schedule();
      });
    },
  };
}

/** One batcher per key object (a pool, a queue), dropped with it. */
export function batcherPer<K extends object, I, O>(create: (key: K) => MicroBatcher<I, O>): (key: K) => MicroBatcher<I, O> {
  const batchers = new WeakMap<K, MicroBatcher<I, O>>();
  return (key) => {
    let batcher = batchers.get(key);
    if (!batcher) {
      batcher = create(key);
      batchers.set(key, batcher);
    }
    return batcher;
  };
}

import { microBatcher } from './micro-batch';

describe('micro-batching', () => {
  test('when calls arrive together, then they share batches of at most maxItems and each gets its own result', async () => {
    const batches: number[][] = [];
    const batcher = microBatcher<number, number>({
      maxItems: 3,
      maxInFlight: 1,
      async run(items) {
        batches.push(items);
        return items.map((i) => i * 10);
      },
    });
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => batcher.add(i)));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
  });

  test('when a batch fails for one bad item and the error allows it, then the others still succeed', async () => {
    const batcher = microBatcher<number, number>({
      maxItems: 10,
      maxInFlight: 2,
      retrySingly: (err) => (err as Error).message === 'bad item',
      async run(items) {
        if (items.includes(2)) throw new Error('bad item');
        return items;
      },
    });
    const results = await Promise.allSettled([1, 2, 3].map((i) => batcher.add(i)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  test('when a batch is retried item by item, then each retry starts after the one before it ended, in arrival order', async () => {
    const events: string[] = [];
    const batcher = microBatcher<number, number>({
      maxItems: 10,
      maxInFlight: 2,
      retrySingly: () => true,
      async run(items) {
        if (items.length > 1) throw new Error('bad item');
        events.push(`start ${items[0]}`);
        await new Promise((r) => setTimeout(r, 5));
        events.push(`end ${items[0]}`);
        if (items[0] === 2) throw new Error('bad item');
        return items;
      },
    });
    await Promise.allSettled([1, 2, 3].map((i) => batcher.add(i)));
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  test('when a batch fails for a reason that is not the items, then every caller gets that error', async () => {
    const batcher = microBatcher<number, number>({
      maxItems: 10,
      maxInFlight: 2,
      retrySingly: () => false,
      async run() {
        throw new Error('connection lost');
      },
    });
    const results = await Promise.allSettled([1, 2].map((i) => batcher.add(i)));
    expect(results).toEqual([
      { status: 'rejected', reason: new Error('connection lost') },
      { status: 'rejected', reason: new Error('connection lost') },
    ]);
  });

  test('when batches are in flight, then later calls wait and go out together in the next one', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const batcher = microBatcher<number, number>({
      maxItems: 10,
      maxInFlight: 1,
      async run(items) {
        batches.push(items);
        if (batches.length === 1) await gate;
        return items;
      },
    });
    const first = batcher.add(1);
    await new Promise((r) => setImmediate(r));
    const later = [2, 3, 4].map((i) => batcher.add(i));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });
});

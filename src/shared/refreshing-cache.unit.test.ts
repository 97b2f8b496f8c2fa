import { refreshingCache } from './refreshing-cache';

/** A load whose answers the test releases by hand, counting calls. */
function controlledLoad() {
  const pending: ((v: string) => void)[] = [];
  let calls = 0;
  return {
    load: () => {
      calls++;
      return new Promise<string>((resolve) => pending.push(resolve));
    },
    release: (v: string) => pending.shift()!(v),
    get calls() {
      return calls;
    },
  };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('refreshing cache', () => {
  test('when many callers ask for a missing entry at once, then they share one load', async () => {
    const cache = refreshingCache<string, string>({ maxAgeMs: 1_000, maxEntries: 10 });
    const source = controlledLoad();
    const answers = [cache.get('k', source.load, 0), cache.get('k', source.load, 0), cache.get('k', source.load, 1)];
    source.release('v1');
    expect(await Promise.all(answers)).toEqual(['v1', 'v1', 'v1']);
    expect(source.calls).toBe(1);
  });

  test('when an entry is past half its age, then callers get it at once while one reload runs in the background', async () => {
    const cache = refreshingCache<string, string>({ maxAgeMs: 1_000, maxEntries: 10 });
    const source = controlledLoad();
    const first = cache.get('k', source.load, 0);
    source.release('v1');
    await first;
    expect(await cache.get('k', source.load, 400)).toBe('v1');
    expect(source.calls).toBe(1);
    expect(await cache.get('k', source.load, 600)).toBe('v1');
    expect(await cache.get('k', source.load, 700)).toBe('v1');
    expect(source.calls).toBe(2);
    source.release('v2');
    await flush();
    expect(await cache.get('k', source.load, 800)).toBe('v2');
    expect(source.calls).toBe(2);
  });

  test('when an entry is older than its maximum age, then callers wait for a fresh value instead of getting it', async () => {
    const cache = refreshingCache<string, string>({ maxAgeMs: 1_000, maxEntries: 10 });
    const source = controlledLoad();
    const first = cache.get('k', source.load, 0);
    source.release('v1');
    await first;
    expect(cache.peek('k', 999)).toBe('v1');
    expect(cache.peek('k', 1_000)).toBeUndefined();
    const late = cache.get('k', source.load, 1_000);
    source.release('v2');
    expect(await late).toBe('v2');
  });

  test('when an entry is forgotten while a load runs, then that load does not store what it read and the next caller reads again', async () => {
    const cache = refreshingCache<string, string>({ maxAgeMs: 1_000, maxEntries: 10 });
    const source = controlledLoad();
    const before = cache.get('k', source.load, 0);
    cache.forget('k');
    const after = cache.get('k', source.load, 0);
    source.release('read before the change');
    source.release('read after the change');
    expect(await before).toBe('read before the change');
    expect(await after).toBe('read after the change');
    expect(await cache.get('k', source.load, 1)).toBe('read after the change');
  });

  test('when a background reload fails, then the cached value is kept until it expires', async () => {
    const cache = refreshingCache<string, string>({ maxAgeMs: 1_000, maxEntries: 10 });
    await cache.get('k', async () => 'v1', 0);
    expect(await cache.get('k', () => Promise.reject(new Error('db down')), 600)).toBe('v1');
    await flush();
    expect(cache.peek('k', 999)).toBe('v1');
    await expect(cache.get('k', () => Promise.reject(new Error('db down')), 1_000)).rejects.toThrow('db down');
  });
});

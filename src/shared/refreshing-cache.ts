/**
 * A per-process cache for small lookups on hot paths (API keys, source secrets, SLA policies).
 *
 * An entry is served for `maxAgeMs`, never longer, so a change made elsewhere still applies within
 * that time. Once it is older than half that, the first caller starts a reload in the background and
 * keeps getting the cached value meanwhile: under steady traffic no request waits for a reload, where
 * an entry that simply expired made every request arriving during the query wait for it (the intake
 * tail at a fixed rate). Callers that must wait (a cold or expired entry) share one load.
 */
export interface RefreshingCache<K, V> {
  /** `load` reads the value when it is missing, expired or due for a reload. */
  get(key: K, load: () => Promise<V>, now?: number): Promise<V>;
  /** The cached value if it is still within maxAgeMs; no I/O. */
  peek(key: K, now?: number): V | undefined;
  /** Drops one entry, or all; a load already running then does not store what it read. */
  forget(key?: K): void;
}

interface Entry<V> {
  at: number;
  value: V;
}

export function refreshingCache<K, V>(options: { maxAgeMs: number; maxEntries: number }): RefreshingCache<K, V> {
  const entries = new Map<K, Entry<V>>();
  const loading = new Map<K, Promise<V>>();
  let generation = 0;

  // Stamped with the time the read started: the value is at least that fresh.
  const reload = (key: K, load: () => Promise<V>, startedAt: number): Promise<V> => {
    const running = loading.get(key);
    if (running) return running;
    const startedIn = generation;
    const promise = load()
      .then((value) => {
        if (startedIn === generation) {
          if (entries.size >= options.maxEntries) entries.clear();
          entries.set(key, { at: startedAt, value });
        }
        return value;
      })
      .finally(() => {
        if (loading.get(key) === promise) loading.delete(key);
      });
    loading.set(key, promise);
    return promise;
  };

  const peek = (key: K, now = Date.now()): V | undefined => {
    const hit = entries.get(key);
    return hit && now - hit.at < options.maxAgeMs ? hit.value : undefined;
  };

  return {
    peek,
    async get(key, load, now = Date.now()) {
      const hit = entries.get(key);
      if (!hit || now - hit.at >= options.maxAgeMs) return reload(key, load, now);
      // A failed background reload leaves the entry as it was; the next caller past half-age tries again.
      if (now - hit.at >= options.maxAgeMs / 2 && !loading.has(key)) reload(key, load, now).catch(() => undefined);
      return hit.value;
    },
    forget(key) {
      generation++;
      if (key === undefined) {
        entries.clear();
        loading.clear();
      } else {
        entries.delete(key);
        loading.delete(key);
      }
    },
  };
}

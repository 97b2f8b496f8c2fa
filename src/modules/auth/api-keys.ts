import crypto from 'node:crypto';
import type { Pool } from 'pg';
import { batcherPer, microBatcher } from '../../shared/micro-batch';
import { refreshingCache } from '../../shared/refreshing-cache';
import type { Principal, Role } from './principal';

/** Keys are random and long, so one fast hash is enough (no salt or KDF needed, unlike passwords). */
export function hashKey(key: string): string {
  return crypto.createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateKey(role: Role): string {
  return `hk_${role}_${crypto.randomBytes(24).toString('base64url')}`;
}

const CACHE_MS = 5_000;
const cache = refreshingCache<string, Principal | null>({ maxAgeMs: CACHE_MS, maxEntries: 10_000 });

/**
 * Resolves a presented key to its principal. Lookups are cached for a few seconds to keep the
 * database off every request; a revocation therefore takes effect within CACHE_MS.
 */
export async function resolveKey(pool: Pool, adminKeyHash: string, presented: string, now = Date.now()): Promise<Principal | null> {
  const hash = hashKey(presented);
  if (isAdminKey(adminKeyHash, hash)) return ADMIN;
  return cache.get(hash, () => keyReader(pool).add(hash), now);
}

type KeyRow = { key_hash: string; id: string; role: Role; agent_id: string | null; source: string | null };

/**
 * Every key in use is read again each CACHE_MS, so a busy desk of agents brings many reads at once:
 * those that arrive together share one statement, as Prisma's findUnique batching did, without its
 * query compiling (about 120 µs of Node CPU per read; docs/benchmarks.md, "Claims").
 */
const keyReader = batcherPer((pool: Pool) =>
  microBatcher<string, Principal | null>({
    maxItems: 100,
    maxInFlight: 2,
    async run(hashes) {
      const { rows } = await pool.query<KeyRow>({
        name: 'api-keys-by-hash',
        text: 'SELECT key_hash, id, role::text AS role, agent_id, source FROM api_keys WHERE key_hash = ANY($1::text[]) AND revoked_at IS NULL',
        values: [hashes],
      });
      const byHash = new Map(rows.map((r) => [r.key_hash, r]));
      return hashes.map((hash) => {
        const row = byHash.get(hash);
        return row ? { keyId: row.id, role: row.role, agentId: row.agent_id ?? undefined, source: row.source ?? undefined } : null;
      });
    },
  }),
);

const ADMIN: Principal = { keyId: 'env-admin', role: 'admin' };

function isAdminKey(adminKeyHash: string, hash: string): boolean {
  return crypto.timingSafeEqual(Buffer.from(hash, 'hex'), Buffer.from(adminKeyHash, 'hex'));
}

/** The principal of a valid key this process has recently resolved, or undefined: no I/O. */
export function recentPrincipal(adminKeyHash: string, presented: string, now = Date.now()): Principal | undefined {
  const hash = hashKey(presented);
  if (isAdminKey(adminKeyHash, hash)) return ADMIN;
  return cache.peek(hash, now) ?? undefined;
}

/** Drops cached lookups so a revocation made by this process applies at once. */
export function forgetCachedKeys(): void {
  cache.forget();
}

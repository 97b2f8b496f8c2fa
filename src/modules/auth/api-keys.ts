import crypto from 'node:crypto';
import type { Db } from '../../shared/db/prisma';
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
export async function resolveKey(db: Db, adminKeyHash: string, presented: string, now = Date.now()): Promise<Principal | null> {
  const hash = hashKey(presented);
  if (isAdminKey(adminKeyHash, hash)) return ADMIN;
  return cache.get(
    hash,
    async () => {
      const row = await db.apiKey.findUnique({ where: { keyHash: hash } });
      return row && !row.revokedAt
        ? { keyId: row.id, role: row.role, agentId: row.agentId ?? undefined, source: row.source ?? undefined }
        : null;
    },
    now,
  );
}

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

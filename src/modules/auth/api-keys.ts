import crypto from 'node:crypto';
import type { Db } from '../../shared/db/prisma';
import type { Principal, Role } from './principal';

/** Keys are random and long, so one fast hash is enough (no salt or KDF needed, unlike passwords). */
export function hashKey(key: string): string {
  return crypto.createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateKey(role: Role): string {
  return `hk_${role}_${crypto.randomBytes(24).toString('base64url')}`;
}

const CACHE_MS = 5_000;
const cache = new Map<string, { at: number; principal: Principal | null }>();

/**
 * Resolves a presented key to its principal. Lookups are cached for a few seconds to keep the
 * database off every request; a revocation therefore takes effect within CACHE_MS.
 */
export async function resolveKey(db: Db, adminKeyHash: string, presented: string, now = Date.now()): Promise<Principal | null> {
  const hash = hashKey(presented);
  if (crypto.timingSafeEqual(Buffer.from(hash, 'hex'), Buffer.from(adminKeyHash, 'hex'))) return { keyId: 'env-admin', role: 'admin' };
  const hit = cache.get(hash);
  if (hit && now - hit.at < CACHE_MS) return hit.principal;
  const row = await db.apiKey.findUnique({ where: { keyHash: hash } });
  const principal: Principal | null =
    row && !row.revokedAt
      ? { keyId: row.id, role: row.role, agentId: row.agentId ?? undefined, source: row.source ?? undefined }
      : null;
  if (cache.size > 10_000) cache.clear();
  cache.set(hash, { at: now, principal });
  return principal;
}

/** Drops cached lookups so a revocation made by this process applies at once. */
export function forgetCachedKeys(): void {
  cache.clear();
}

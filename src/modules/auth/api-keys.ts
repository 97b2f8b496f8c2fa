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
  const known = knownPrincipal(adminKeyHash, hash, now);
  if (known !== undefined) return known;
  const row = await db.apiKey.findUnique({ where: { keyHash: hash } });
  const principal: Principal | null =
    row && !row.revokedAt
      ? { keyId: row.id, role: row.role, agentId: row.agentId ?? undefined, source: row.source ?? undefined }
      : null;
  if (cache.size > 10_000) cache.clear();
  cache.set(hash, { at: now, principal });
  return principal;
}

/** What this process already knows about a key without asking the database; undefined when it does not. */
function knownPrincipal(adminKeyHash: string, hash: string, now: number): Principal | null | undefined {
  if (crypto.timingSafeEqual(Buffer.from(hash, 'hex'), Buffer.from(adminKeyHash, 'hex'))) return { keyId: 'env-admin', role: 'admin' };
  const hit = cache.get(hash);
  return hit && now - hit.at < CACHE_MS ? hit.principal : undefined;
}

/** The principal of a valid key this process has recently resolved, or undefined: no I/O. */
export function recentPrincipal(adminKeyHash: string, presented: string, now = Date.now()): Principal | undefined {
  return knownPrincipal(adminKeyHash, hashKey(presented), now) ?? undefined;
}

/** Drops cached lookups so a revocation made by this process applies at once. */
export function forgetCachedKeys(): void {
  cache.clear();
}

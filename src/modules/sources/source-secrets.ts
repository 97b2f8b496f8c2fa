import type { Db, Tx } from '../../shared/db/prisma';
import type { PiiCipher } from '../privacy/pii-cipher';
import { refreshingCache } from '../../shared/refreshing-cache';

/**
 * How long a process trusts its copy of a source's secrets. A change made through another process
 * applies here within this time; the previous secret's overlap window covers that gap in normal
 * rotations (see docs/security.md).
 */
export const SOURCE_CACHE_MS = 10_000;

export interface SourceSecrets {
  /** Newest first. Empty: the source does not sign its webhooks. */
  secrets: string[];
  /** Until when the second secret (the previous one) is still accepted. */
  previousValidUntil: Date | null;
}

const cache = refreshingCache<string, SourceSecrets>({ maxAgeMs: SOURCE_CACHE_MS, maxEntries: 10_000 });

/**
 * The rotation rule: the newest secret is always valid; the one before it stays valid for
 * `overlapSeconds` after the source was last changed; older ones never are (and are pruned).
 */
export function secretsFromRow(
  row: { signingSecretsEnc: string[]; updatedAt: Date } | null,
  cipher: PiiCipher,
  overlapSeconds: number,
): SourceSecrets {
  if (!row || row.signingSecretsEnc.length === 0) return { secrets: [], previousValidUntil: null };
  const [newest, previous] = row.signingSecretsEnc.map((s) => cipher.decrypt(s));
  if (previous === undefined || overlapSeconds === 0) return { secrets: [newest], previousValidUntil: null };
  return { secrets: [newest, previous], previousValidUntil: new Date(row.updatedAt.getTime() + overlapSeconds * 1000) };
}

/** The secrets that verify a request now, from a short per-process cache. */
export async function validSecrets(
  deps: { db: Db; cipher: PiiCipher; config: { signingSecretOverlapSeconds: number } },
  source: string,
  now = new Date(),
): Promise<string[]> {
  const value = await cache.get(
    source,
    async () => secretsFromRow(await deps.db.source.findUnique({ where: { name: source } }), deps.cipher, deps.config.signingSecretOverlapSeconds),
    now.getTime(),
  );
  const { secrets, previousValidUntil } = value;
  return previousValidUntil && previousValidUntil <= now ? secrets.slice(0, 1) : secrets;
}

/** Drops this process's copy so a change made here applies at once. */
export function forgetCachedSource(source?: string): void {
  cache.forget(source);
}

/**
 * Replaces a source's signing secret. The previous one is kept (valid for the overlap) unless
 * `keepPrevious` is false, which is what an operator wants when the old secret leaked.
 * `null` stops requiring signatures from the source.
 */
export async function setSigningSecret(
  tx: Tx,
  cipher: PiiCipher,
  source: string,
  secret: string | null,
  keepPrevious: boolean,
): Promise<{ signingSecretsEnc: string[]; updatedAt: Date }> {
  const existing = await tx.source.findUnique({ where: { name: source } });
  const kept = secret !== null && keepPrevious && existing?.signingSecretsEnc[0] ? [existing.signingSecretsEnc[0]] : [];
  const signingSecretsEnc = secret === null ? [] : [cipher.encrypt(secret), ...kept];
  const row = await tx.source.upsert({
    where: { name: source },
    create: { name: source, signingSecretsEnc },
    update: { signingSecretsEnc, updatedAt: new Date() },
  });
  return row;
}

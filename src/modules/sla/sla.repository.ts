import { Prisma, type Priority as DbPriority, type SlaPolicy } from '@prisma/client';
import type { Db } from '../../shared/db/prisma';
import { refreshingCache } from '../../shared/refreshing-cache';
import { DEFAULT_SLA_POLICIES, type SlaPolicies, type SlaTargets } from './sla-policy';
import type { BusinessHours } from './business-hours';

const CACHE_MS = 10_000;
const cache = refreshingCache<Db, SlaPolicies>({ maxAgeMs: CACHE_MS, maxEntries: 16 });

function toTargets(r: SlaPolicy): SlaTargets {
  return {
    firstResponseMinutes: r.firstResponseMinutes,
    resolutionMinutes: r.resolutionMinutes,
    humanRequestMinutes: r.humanRequestMinutes,
    businessHours: (r.businessHours as BusinessHours | null) ?? null,
  };
}

/** Policies rarely change; a few seconds of staleness keeps them off the intake hot path. */
export function loadSlaPolicies(db: Db, now = Date.now()): Promise<SlaPolicies> {
  return cache.get(
    db,
    async () => {
      const policies: SlaPolicies = { ...DEFAULT_SLA_POLICIES };
      for (const r of await db.slaPolicy.findMany()) policies[r.priority] = toTargets(r);
      return policies;
    },
    now,
  );
}

/** Replaces the given priorities' policies in one transaction; this process sees them at once, others within the cache time. */
export async function saveSlaPolicies(db: Db, changes: Partial<SlaPolicies>): Promise<SlaPolicies> {
  await db.$transaction(
    Object.entries(changes).map(([priority, t]) => {
      const data = {
        firstResponseMinutes: t!.firstResponseMinutes,
        resolutionMinutes: t!.resolutionMinutes,
        humanRequestMinutes: t!.humanRequestMinutes,
        // A SQL NULL (around the clock), not a JSON null.
        businessHours: t!.businessHours ? (t!.businessHours as object) : Prisma.DbNull,
      };
      return db.slaPolicy.upsert({
        where: { priority: priority as DbPriority },
        create: { priority: priority as DbPriority, ...data },
        update: data,
      });
    }),
  );
  cache.forget(db);
  return loadSlaPolicies(db);
}

/** Inserts the default policies where none is stored; leaves edited ones alone. */
export async function seedSlaPolicies(db: Db): Promise<void> {
  for (const [priority, p] of Object.entries(DEFAULT_SLA_POLICIES)) {
    await db.slaPolicy.upsert({
      where: { priority: priority as keyof SlaPolicies },
      create: { priority: priority as keyof SlaPolicies, firstResponseMinutes: p.firstResponseMinutes, resolutionMinutes: p.resolutionMinutes, humanRequestMinutes: p.humanRequestMinutes },
      update: {},
    });
  }
}

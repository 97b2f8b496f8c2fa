import { Prisma, type Priority as DbPriority, type SlaPolicy } from '@prisma/client';
import type { Db } from '../../shared/db/prisma';
import { DEFAULT_SLA_POLICIES, type SlaPolicies, type SlaTargets } from './sla-policy';
import type { BusinessHours } from './business-hours';

const CACHE_MS = 10_000;
let cached: { at: number; policies: SlaPolicies; db: Db } | undefined;

function toTargets(r: SlaPolicy): SlaTargets {
  return {
    firstResponseMinutes: r.firstResponseMinutes,
    resolutionMinutes: r.resolutionMinutes,
    humanRequestMinutes: r.humanRequestMinutes,
    businessHours: (r.businessHours as BusinessHours | null) ?? null,
  };
}

/** Policies rarely change; a few seconds of staleness keeps them off the intake hot path. */
export async function loadSlaPolicies(db: Db, now = Date.now()): Promise<SlaPolicies> {
  if (cached && cached.db === db && now - cached.at < CACHE_MS) return cached.policies;
  const rows = await db.slaPolicy.findMany();
  const policies: SlaPolicies = { ...DEFAULT_SLA_POLICIES };
  for (const r of rows) policies[r.priority] = toTargets(r);
  cached = { at: now, policies, db };
  return policies;
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
  cached = undefined;
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

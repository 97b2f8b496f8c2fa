import type { Db } from '../../shared/db/prisma';
import { DEFAULT_SLA_POLICIES, type SlaPolicies } from './sla-policy';

const CACHE_MS = 10_000;
let cached: { at: number; policies: SlaPolicies; db: Db } | undefined;

/** Policies rarely change; a few seconds of staleness keeps them off the intake hot path. */
export async function loadSlaPolicies(db: Db, now = Date.now()): Promise<SlaPolicies> {
  if (cached && cached.db === db && now - cached.at < CACHE_MS) return cached.policies;
  const rows = await db.slaPolicy.findMany();
  const policies: SlaPolicies = { ...DEFAULT_SLA_POLICIES };
  for (const r of rows) policies[r.priority] = { firstResponseMinutes: r.firstResponseMinutes, resolutionMinutes: r.resolutionMinutes };
  cached = { at: now, policies, db };
  return policies;
}

/** Inserts the default policies where none is stored; leaves edited ones alone. */
export async function seedSlaPolicies(db: Db): Promise<void> {
  for (const [priority, p] of Object.entries(DEFAULT_SLA_POLICIES)) {
    await db.slaPolicy.upsert({
      where: { priority: priority as keyof SlaPolicies },
      create: { priority: priority as keyof SlaPolicies, ...p },
      update: {},
    });
  }
}

import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '@prisma/client';

export type TicketSeed = Partial<Prisma.TicketUncheckedCreateInput> & { createdAt: Date };

/**
 * Inserts a ticket straight into Postgres with explicit timestamps, so a test can build a data set
 * whose figures it computes itself. Each ticket gets its own customer: stats never join customers.
 */
export async function insertTicket(db: PrismaClient, seed: TicketSeed) {
  const source = seed.source ?? 'stats-test';
  const customer = await db.customer.create({ data: { source, externalId: `c-${randomUUID()}` } });
  return db.ticket.create({
    data: {
      id: randomUUID(),
      externalId: randomUUID(),
      status: 'human_queued',
      route: 'human',
      priority: 'normal',
      sentiment: 0,
      complexity: 0.2,
      flags: [],
      reasons: [{ code: 'ROUTINE', detail: 'seeded' }],
      language: 'en',
      skills: [],
      queuedAt: seed.createdAt,
      ...seed,
      source,
      customerId: customer.id,
    },
  });
}

/** Linear-interpolated percentile, as Postgres's percentile_cont computes it. */
export function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** A small deterministic PRNG (mulberry32) so seeded data sets are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

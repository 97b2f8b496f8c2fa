import { PrismaClient, Prisma } from '@prisma/client';
import { PrismaPg } from '@prisma/adapter-pg';

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

/** Interactive transactions queue for a pooled connection under load; the defaults (2 s, 5 s) are too tight for that. */
export const TX_OPTIONS = { maxWait: 15_000, timeout: 15_000 };

/** One client per process, talking to Postgres through adapter-pg (no native query engine). */
export function createPrisma(databaseUrl: string, poolSize = 10, connectionTimeoutMs = 10_000): PrismaClient {
  // The timeout covers waiting for a free pooled connection too, not only connecting.
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: connectionTimeoutMs });
  return new PrismaClient({ adapter });
}

/** Prisma's unique-constraint violation, as thrown by the client or surfaced by a raw query. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; cause?: { code?: string; originalCode?: string }; meta?: { code?: string } };
  return err?.code === 'P2002' || err?.meta?.code === '23505' || err?.cause?.originalCode === '23505' || err?.cause?.code === '23505';
}

import type { Pool } from 'pg';
import type { RoutingPolicyVersion } from '@prisma/client';
import type { Db, Tx } from '../../shared/db/prisma';
import type { RoutingPolicy } from '../routing';
import { documentOf, policyOf } from './policy-document';

export type PolicyRow = RoutingPolicyVersion;

/** The active version, read with the plain pool: the holder calls this every few seconds in every process. */
export async function loadActivePolicy(pool: Pool): Promise<RoutingPolicy | null> {
  const { rows } = await pool.query<{ version: string; document: unknown }>(
    `SELECT version, document FROM routing_policies WHERE status = 'active'`,
  );
  return rows[0] ? policyOf(rows[0].version, rows[0].document) : null;
}

/**
 * Makes `policy` the active version when no version is active yet (a new installation). Safe when
 * several processes start at once: the one-active index turns the losers' inserts into no-ops.
 */
export async function seedActivePolicy(db: Db, policy: RoutingPolicy): Promise<void> {
  await db.$executeRaw`
    INSERT INTO routing_policies (version, status, document, created_by, note, activated_at)
    SELECT ${policy.version}, 'active', ${JSON.stringify(documentOf(policy))}::jsonb, 'system:seed',
           'The built-in default with the ROUTING_* and AI_LANGUAGES settings of the first start.', now()
    WHERE NOT EXISTS (SELECT 1 FROM routing_policies WHERE status = 'active')
    ON CONFLICT DO NOTHING`;
}

/** Newest first; `after` is the last row of the previous page. */
export async function listPolicies(db: Db, limit: number, after?: { createdAt: Date; version: string }): Promise<PolicyRow[]> {
  return db.routingPolicyVersion.findMany({
    where: after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, version: { lt: after.version } }] } : {},
    orderBy: [{ createdAt: 'desc' }, { version: 'desc' }],
    take: limit,
  });
}

export function findPolicy(db: Db | Tx, version: string): Promise<PolicyRow | null> {
  return db.routingPolicyVersion.findUnique({ where: { version } });
}

export function findActivePolicyRow(db: Db | Tx): Promise<PolicyRow | null> {
  return db.routingPolicyVersion.findFirst({ where: { status: 'active' } });
}

/**
 * Retires the active version and activates `version` in the caller's transaction. The table lock
 * serialises concurrent activations, so the second one sees the first one's result instead of
 * tripping over the one-active index.
 */
export async function switchActivePolicy(tx: Tx, version: string, now: Date): Promise<{ previous: string | null }> {
  await tx.$executeRaw`LOCK TABLE routing_policies IN SHARE ROW EXCLUSIVE MODE`;
  const previous = await findActivePolicyRow(tx);
  if (previous) await tx.routingPolicyVersion.update({ where: { version: previous.version }, data: { status: 'retired', retiredAt: now } });
  await tx.routingPolicyVersion.update({ where: { version }, data: { status: 'active', activatedAt: now, retiredAt: null } });
  return { previous: previous?.version ?? null };
}

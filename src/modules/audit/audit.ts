import type { Db, Tx } from '../../shared/db/prisma';
import type { Principal } from '../auth/principal';

/** Actors that are not API keys: background jobs that touch personal data are audited too. */
export const SYSTEM_ACTORS = {
  retention: { keyId: 'system:retention', role: 'system' },
  rotateKey: { keyId: 'system:rotate-key', role: 'system' },
} as const;

/** Appends one audit entry; callers pass their transaction so the entry commits with the change. */
export async function recordAudit(
  db: Db | Tx,
  actor: Principal | { keyId: string; role: string },
  action: string,
  entity: string,
  entityId: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await db.auditLog.create({
    data: { actorId: actor.keyId, actorRole: actor.role, action, entity, entityId, detail: detail as object },
  });
}

/** One entry per entity for a bulk action (retention), in a single insert. */
export async function recordAuditMany(
  db: Db | Tx,
  actor: { keyId: string; role: string },
  action: string,
  entity: string,
  entityIds: string[],
  detail: Record<string, unknown> = {},
): Promise<void> {
  if (entityIds.length === 0) return;
  await db.auditLog.createMany({
    data: entityIds.map((entityId) => ({ actorId: actor.keyId, actorRole: actor.role, action, entity, entityId, detail: detail as object })),
  });
}

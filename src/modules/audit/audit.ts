import type { Db, Tx } from '../../shared/db/prisma';
import type { Principal } from '../auth/principal';

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

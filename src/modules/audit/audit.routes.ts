import { Router } from 'express';
import type { Prisma } from '@prisma/client';
import type { Deps } from '../../shared/deps';
import { decodeCursor, encodeCursor, pageQuery, text, type Page } from '../../shared/http/validation';
import { requireRole } from '../auth/authenticate';

export const auditQuery = pageQuery.extend({
  entity: text(50).optional(),
  entityId: text(200).optional(),
  action: text(100).optional(),
  actorId: text(100).optional(),
});

const view = (a: { id: string; actorId: string; actorRole: string; action: string; entity: string; entityId: string; detail: Prisma.JsonValue; createdAt: Date }) => ({
  id: a.id,
  actor: { id: a.actorId, role: a.actorRole },
  action: a.action,
  entity: a.entity,
  entityId: a.entityId,
  detail: a.detail,
  createdAt: a.createdAt.toISOString(),
});

export function auditRouter(deps: Deps): Router {
  const router = Router();
  router.use('/v1/audit', requireRole());

  /** Who read or changed what, newest first, filterable by entity, entity id, action and actor. */
  router.get('/v1/audit', async (req, res) => {
    const q = auditQuery.parse(req.query);
    const after = decodeCursor(q.cursor);
    const where: Prisma.AuditLogWhereInput = {
      ...(q.entity ? { entity: q.entity } : {}),
      ...(q.entityId ? { entityId: q.entityId } : {}),
      ...(q.action ? { action: q.action } : {}),
      ...(q.actorId ? { actorId: q.actorId } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    };
    const rows = await deps.db.auditLog.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const body: Page<ReturnType<typeof view>> = {
      items: page.map(view),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null,
    };
    res.json(body);
  });

  return router;
}

import { Router } from 'express';
import { z } from 'zod';
import type { Deps } from '../../shared/deps';
import { conflict, notFound } from '../../shared/errors/app-error';
import { afterCursor, decodeCursor, emptyAsAbsent, encodeCursor, pageQuery, uuid } from '../../shared/http/validation';
import { requireRole } from '../auth/authenticate';
import { recordAudit } from '../audit/audit';
import { enqueueDelivery } from './deliver-message';

export const listQuery = pageQuery.extend({ status: emptyAsAbsent(z.enum(['pending', 'delivered', 'failed']).optional()), ticketId: emptyAsAbsent(uuid.optional()) });

/** Admins inspect deliveries (above all the failed ones) and send failed ones again. */
export function deliveriesRouter(deps: Deps): Router {
  const router = Router();

  router.get('/v1/deliveries', requireRole('admin'), async (req, res) => {
    const q = listQuery.parse(req.query);
    const after = decodeCursor(q.cursor);
    const rows = await deps.db.delivery.findMany({
      where: {
        ...(q.status ? { status: q.status } : {}),
        ...(q.ticketId ? { ticketId: q.ticketId } : {}),
        ...afterCursor(after),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    res.json({
      items: page.map((d) => ({
        id: d.id,
        ticketId: d.ticketId,
        messageId: d.messageId,
        event: d.event,
        url: d.url,
        status: d.status,
        attempts: d.attempts,
        lastStatus: d.lastStatus,
        lastError: d.lastError,
        deliveredAt: d.deliveredAt?.toISOString() ?? null,
        createdAt: d.createdAt.toISOString(),
        updatedAt: d.updatedAt.toISOString(),
      })),
      nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1].createdAt, page[page.length - 1].id) : null,
    });
  });

  router.post('/v1/deliveries/:id/retry', requireRole('admin'), async (req, res) => {
    const id = req.params.id as string;
    if (!uuid.safeParse(id).success) throw notFound('Delivery');
    const updated = await deps.db.delivery.updateMany({ where: { id, status: 'failed' }, data: { status: 'pending', lastError: null } });
    if (updated.count === 0) {
      if (!(await deps.db.delivery.findUnique({ where: { id } }))) throw notFound('Delivery');
      throw conflict('Only failed deliveries can be retried.');
    }
    await recordAudit(deps.db, req.principal!, 'delivery.retry', 'delivery', id);
    // The failed job was removed, so the same job id is free again.
    await enqueueDelivery(deps, id);
    res.status(202).json({ id, status: 'pending' });
  });

  return router;
}

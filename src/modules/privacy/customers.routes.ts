import { Router } from 'express';
import type { Deps } from '../../shared/deps';
import { notFound } from '../../shared/errors/app-error';
import { recordAudit } from '../audit';
import { requireRole } from '../auth/authenticate';
import { dropPendingJobs, eraseCustomer } from './erase-personal-data';

export function customersRouter(deps: Deps): Router {
  const router = Router();
  router.use('/v1/customers', requireRole());

  /**
   * Erasure (right to be forgotten). 204 whenever the customer is (now or already) erased, so a
   * retried request is harmless; 404 only for a customer Handoff never heard of, so a typo in the
   * id is not mistaken for a completed erasure.
   */
  router.delete('/v1/customers/:source/:externalId', async (req, res) => {
    const source = req.params.source as string;
    const externalId = req.params.externalId as string;
    const customer = await deps.db.customer.findUnique({ where: { source_externalId: { source, externalId } } });
    if (!customer) throw notFound('Customer');
    const now = new Date();
    const { ticketIds } = await deps.db.$transaction(async (tx) => {
      const result = await eraseCustomer(tx, customer.id, now);
      await recordAudit(tx, req.principal!, 'customer.erase', 'customer', customer.id, { source, ...result.counts, alreadyErased: result.alreadyErased });
      return result;
    });
    const tickets = await deps.db.ticket.findMany({ where: { id: { in: ticketIds } }, select: { id: true, aiTurns: true } });
    await dropPendingJobs(deps.queues, deps.logger, tickets);
    res.status(204).end();
  });

  return router;
}

import type { Deps } from '../../shared/deps';
import { recordAuditMany, SYSTEM_ACTORS } from '../audit';
import { eraseTicketTexts } from './erase-personal-data';

const DAY_MS = 86_400_000;

/**
 * Erases the personal data of tickets resolved more than `retentionDays` ago (texts, as erasure
 * does), then the contact details of customers whose every ticket is past retention. Works in
 * batches under SKIP LOCKED, so several worker processes may run it at once. `now` is injectable
 * so tests need not wait a year.
 */
export async function eraseExpiredPersonalData(
  deps: Pick<Deps, 'db' | 'logger'>,
  retentionDays: number,
  now = new Date(),
  batchSize = 200,
): Promise<{ tickets: number; customers: number }> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  let tickets = 0;
  let customers = 0;
  for (;;) {
    const n = await deps.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT t.id FROM tickets t
        WHERE t.status = 'resolved' AND t.resolved_at < ${cutoff}
          AND (t.subject_enc IS NOT NULL OR t.metadata <> '{}'::jsonb
            OR EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id AND m.body_enc IS NOT NULL)
            OR EXISTS (SELECT 1 FROM deliveries d WHERE d.ticket_id = t.id AND (d.payload_enc IS NOT NULL OR d.last_error IS NOT NULL)))
        ORDER BY t.resolved_at LIMIT ${batchSize} FOR UPDATE OF t SKIP LOCKED`;
      const ids = rows.map((r) => r.id);
      await eraseTicketTexts(tx, ids);
      await recordAuditMany(tx, SYSTEM_ACTORS.retention, 'retention.erase', 'ticket', ids, { retentionDays });
      return ids.length;
    });
    tickets += n;
    if (n < batchSize) break;
  }
  for (;;) {
    const n = await deps.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT c.id FROM customers c
        WHERE (c.name_enc IS NOT NULL OR c.email_enc IS NOT NULL OR c.phone_enc IS NOT NULL)
          AND EXISTS (SELECT 1 FROM tickets t WHERE t.customer_id = c.id)
          AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.customer_id = c.id AND (t.status <> 'resolved' OR t.resolved_at >= ${cutoff}))
        LIMIT ${batchSize} FOR UPDATE OF c SKIP LOCKED`;
      const ids = rows.map((r) => r.id);
      if (ids.length > 0) {
        await tx.customer.updateMany({ where: { id: { in: ids } }, data: { nameEnc: null, emailEnc: null, phoneEnc: null, erasedAt: now } });
      }
      await recordAuditMany(tx, SYSTEM_ACTORS.retention, 'retention.erase', 'customer', ids, { retentionDays });
      return ids.length;
    });
    customers += n;
    if (n < batchSize) break;
  }
  if (tickets + customers > 0) deps.logger.info({ tickets, customers, retentionDays }, 'retention erased personal data');
  return { tickets, customers };
}

/** Runs the retention job now and every interval (0 days disables it); returns a stop function. */
export function startRetentionJob(deps: Pick<Deps, 'db' | 'logger'>, retentionDays: number, intervalMs: number): () => void {
  if (retentionDays === 0) return () => undefined;
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await eraseExpiredPersonalData(deps, retentionDays);
    } catch (err) {
      deps.logger.warn({ err: { message: (err as Error).message } }, 'retention run failed');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(run, 1_000);
  const timer = setInterval(run, intervalMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

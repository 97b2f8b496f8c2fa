import type { Db, Tx } from '../../shared/db/prisma';
import { uuid } from '../../shared/http/validation';

const ORDERED = { orderBy: [{ createdAt: 'asc' as const }, { id: 'asc' as const }] };

/** A ticket with its whole thread, decisions and events, oldest first; null for unknown or non-UUID ids. */
export async function findFullTicket(db: Db | Tx, id: string) {
  if (!uuid.safeParse(id).success) return null;
  return db.ticket.findUnique({
    where: { id },
    include: { messages: ORDERED, decisions: ORDERED, events: ORDERED },
  });
}

export async function findTicketBySourceId(db: Db | Tx, source: string, externalId: string) {
  return db.ticket.findUnique({ where: { source_externalId: { source, externalId } } });
}

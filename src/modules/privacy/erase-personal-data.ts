import type { Tx } from '../../shared/db/prisma';
import type { Queues } from '../../shared/queue/queues';
import { aiJobId } from '../../shared/queue/queues';
import type { Logger } from '../../shared/logger';

export interface ErasedCounts {
  tickets: number;
  messages: number;
  deliveries: number;
  /** Open tickets closed because nobody can answer a thread whose text is gone. */
  closed: number;
}

const OPEN = ['ai_queued', 'ai_answered', 'human_queued', 'assigned'] as const;

/**
 * Removes the text of tickets (subject, metadata, every message body, delivery payloads and their
 * error echoes) and keeps everything stats count with: statuses, scores, flags, decisions, events,
 * timestamps. Ciphertext is nulled, not re-encrypted, so no key can bring it back.
 */
export async function eraseTicketTexts(tx: Tx, ticketIds: string[]): Promise<Omit<ErasedCounts, 'closed'>> {
  if (ticketIds.length === 0) return { tickets: 0, messages: 0, deliveries: 0 };
  const where = { id: { in: ticketIds } };
  const tickets = await tx.ticket.updateMany({ where, data: { subjectEnc: null, metadata: {} } });
  const messages = await tx.message.updateMany({ where: { ticketId: { in: ticketIds }, bodyEnc: { not: null } }, data: { bodyEnc: null } });
  const deliveries = await tx.delivery.updateMany({
    where: { ticketId: { in: ticketIds }, OR: [{ payloadEnc: { not: null } }, { lastError: { not: null } }] },
    data: { payloadEnc: null, lastError: null },
  });
  return { tickets: tickets.count, messages: messages.count, deliveries: deliveries.count };
}

/**
 * Erasure of one customer: contact details, every ticket text, and open tickets closed with a
 * `customer_erased` event. Safe to repeat: a second run finds nothing left to erase.
 */
export async function eraseCustomer(tx: Tx, customerId: string, now: Date): Promise<{ counts: ErasedCounts; ticketIds: string[]; alreadyErased: boolean }> {
  const customer = await tx.customer.findUniqueOrThrow({ where: { id: customerId } });
  await tx.customer.update({
    where: { id: customerId },
    data: { nameEnc: null, emailEnc: null, phoneEnc: null, erasedAt: customer.erasedAt ?? now },
  });
  const tickets = await tx.ticket.findMany({ where: { customerId }, select: { id: true, status: true } });
  const ticketIds = tickets.map((t) => t.id);
  const counts = await eraseTicketTexts(tx, ticketIds);
  const open = tickets.filter((t) => (OPEN as readonly string[]).includes(t.status)).map((t) => t.id);
  if (open.length > 0) {
    await tx.ticket.updateMany({ where: { id: { in: open } }, data: { status: 'resolved', resolvedAt: now, updatedAt: now } });
    await tx.ticketEvent.createMany({ data: open.map((ticketId) => ({ ticketId, type: 'customer_erased', data: { closed: true }, createdAt: now })) });
  }
  return { counts: { ...counts, closed: open.length }, ticketIds, alreadyErased: customer.erasedAt !== null };
}

/**
 * BullMQ job data holds ticket ids only (never text), so nothing personal sits in Redis; the jobs
 * are removed anyway so no worker acts on an erased ticket. A job running right now is locked and
 * stays; its handler re-reads the ticket and finds it resolved.
 */
export async function dropPendingJobs(queues: Queues, logger: Logger, tickets: { id: string; aiTurns: number }[]): Promise<void> {
  for (const t of tickets) {
    for (let turn = 0; turn <= t.aiTurns; turn++) {
      await queues.aiAnswer.remove(aiJobId(t.id, turn)).catch((err: Error) => {
        logger.debug({ ticketId: t.id, err: { message: err.message } }, 'job not removed on erasure');
      });
    }
  }
}

import { enqueueDelivery, recordDelivery, type DeliveryDeps } from '../delivery';
import type { Ticket } from '@prisma/client';
import type { Deps } from '../../shared/deps';
import type { Tx } from '../../shared/db/prisma';
import { uuid } from '../../shared/http/validation';
import { conflict, forbidden, notFound } from '../../shared/errors/app-error';
import type { Principal } from '../auth/principal';
import { TX_OPTIONS } from '../../shared/db/prisma';

interface HeldTicket {
  ticket: Ticket;
  /** The agent the work is recorded for: the caller, or the agent an admin acts for. */
  agentId: string;
  /** Kept on the event when an admin acted for the agent, so the thread says who did. */
  actedBy: { adminKeyId: string } | Record<string, never>;
}

/**
 * Locks the ticket for the rest of the transaction and checks that the caller holds it: 403 for
 * anyone but its assigned agent, 409 when the ticket is no longer in `assigned` (resolved already,
 * for instance). An admin ("admin may do everything") acts for the agent who holds the ticket, as
 * an admin's claim is for a named agent. The lock orders this change against the stuck-work sweep.
 */
export async function lockHeldTicket(tx: Tx, principal: Principal, ticketId: string, action: string): Promise<HeldTicket> {
  if (!uuid.safeParse(ticketId).success) throw notFound('Ticket');
  const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM tickets WHERE id = ${ticketId}::uuid FOR UPDATE`;
  if (!locked) throw notFound('Ticket');
  const ticket = (await tx.ticket.findUnique({ where: { id: ticketId } }))!;
  if (principal.role === 'admin') {
    if (ticket.status !== 'assigned' || !ticket.assignedAgentId) throw conflict(`The ticket is ${ticket.status}, not assigned to an agent, so nobody may ${action} it.`);
    return { ticket, agentId: ticket.assignedAgentId, actedBy: { adminKeyId: principal.keyId } };
  }
  if (principal.role !== 'agent' || !principal.agentId) throw forbidden(`Only the agent the ticket is assigned to may ${action} it.`);
  if (ticket.assignedAgentId !== principal.agentId) throw forbidden(`The ticket is not assigned to you, so you may not ${action} it.`);
  if (ticket.status !== 'assigned') throw conflict(`The ticket is ${ticket.status}, not assigned, so you may not ${action} it.`);
  return { ticket, agentId: principal.agentId, actedBy: {} };
}

/**
 * An agent's answer to the customer, delivered to the helpdesk like AI messages. The first one sets
 * `firstRespondedAt` (the SLA's first response) and `humanRespondedAt`; each is kept as a `replied` event.
 */
export async function replyToTicket(deps: DeliveryDeps, principal: Principal, ticketId: string, body: string, now = new Date()) {
  const reply = await deps.db.$transaction(async (tx) => {
    const { ticket, agentId, actedBy } = await lockHeldTicket(tx, principal, ticketId, 'reply to');
    const message = await tx.message.create({
      data: { ticketId, author: 'agent', bodyEnc: deps.cipher.encrypt(body), agentId, createdAt: now },
    });
    await tx.ticket.update({
      where: { id: ticketId },
      data: { firstRespondedAt: ticket.firstRespondedAt ?? now, humanRespondedAt: ticket.humanRespondedAt ?? now, updatedAt: now },
    });
    await tx.ticketEvent.create({
      data: { ticketId, type: 'replied', agentId, data: { messageId: message.id, first: ticket.humanRespondedAt === null, ...actedBy }, createdAt: now },
    });
    const deliveryId = await recordDelivery(tx, deps.cipher, ticket, message, body);
    return { deliveryId, view: { id: message.id, ticketId, author: message.author, body, agentId, createdAt: message.createdAt.toISOString() } };
  }, TX_OPTIONS);
  await enqueueDelivery(deps, reply.deliveryId);
  return reply.view;
}

/** Closes the agent's ticket; a second resolve is a 409, not a silent success. */
export async function resolveTicket(deps: Pick<Deps, 'db'>, principal: Principal, ticketId: string, now = new Date()): Promise<Ticket> {
  return deps.db.$transaction(async (tx) => {
    const { agentId, actedBy } = await lockHeldTicket(tx, principal, ticketId, 'resolve');
    await tx.ticketEvent.create({ data: { ticketId, type: 'resolved', agentId, data: actedBy, createdAt: now } });
    return tx.ticket.update({ where: { id: ticketId }, data: { status: 'resolved', resolvedAt: now, updatedAt: now } });
  }, TX_OPTIONS);
}

/**
 * Hands the ticket back to the queue with the agent's reason. It keeps its original queue time, so
 * it waits behind nobody who came later, but gets no boost: unlike a timeout, this was a choice.
 */
export async function releaseTicket(deps: Pick<Deps, 'db'>, principal: Principal, ticketId: string, reason: string, now = new Date()): Promise<Ticket> {
  return deps.db.$transaction(async (tx) => {
    const { agentId, actedBy } = await lockHeldTicket(tx, principal, ticketId, 'release');
    await tx.ticketEvent.create({ data: { ticketId, type: 'released', agentId, data: { reason, ...actedBy }, createdAt: now } });
    return tx.ticket.update({
      where: { id: ticketId },
      data: { status: 'human_queued', assignedAgentId: null, assignedAt: null, updatedAt: now },
    });
  }, TX_OPTIONS);
}

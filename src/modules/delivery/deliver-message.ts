import { ENQUEUE_TIMEOUT_MS, withTimeout } from '../../shared/with-timeout';
import type { Deps } from '../../shared/deps';
import { isUniqueViolation } from '../../shared/db/prisma';

export const MESSAGE_EVENT = 'ticket.message';

export type DeliveryDeps = Pick<Deps, 'db' | 'cipher' | 'queues' | 'logger' | 'config'>;

/** What the helpdesk receives, per the contract. */
export interface MessagePayload {
  event: typeof MESSAGE_EVENT;
  ticketId: string;
  source: string;
  externalId: string;
  message: { id: string; author: string; body: string; disclosure?: string; createdAt: string };
}

/**
 * Sends a committed, customer-visible message (AI answer, agent reply, escalation notice) to the
 * ticket's callbackUrl: records a `deliveries` row with the payload encrypted, then enqueues it on
 * the `delivery` queue, which signs, retries with backoff and keeps final failures for admins.
 * Call it AFTER the transaction that created the message has committed. Idempotent per message:
 * a second call returns the existing delivery. Returns null when the ticket has no callbackUrl
 * or the message is internal (AI drafts are never delivered).
 */
export async function deliverMessage(deps: DeliveryDeps, ref: { ticketId: string; messageId: string }): Promise<string | null> {
  const message = await deps.db.message.findUnique({ where: { id: ref.messageId }, include: { ticket: true } });
  if (!message || message.ticketId !== ref.ticketId) throw new Error(`message ${ref.messageId} is not on ticket ${ref.ticketId}`);
  const { ticket } = message;
  if (!ticket.callbackUrl || message.internal || !message.bodyEnc) return null;
  const payload: MessagePayload = {
    event: MESSAGE_EVENT,
    ticketId: ticket.id,
    source: ticket.source,
    externalId: ticket.externalId,
    message: {
      id: message.id,
      author: message.author,
      body: deps.cipher.decrypt(message.bodyEnc),
      ...(message.disclosure ? { disclosure: message.disclosure } : {}),
      createdAt: message.createdAt.toISOString(),
    },
  };
  let deliveryId: string;
  try {
    const row = await deps.db.delivery.create({
      data: { ticketId: ticket.id, messageId: message.id, event: MESSAGE_EVENT, url: ticket.callbackUrl, payloadEnc: deps.cipher.encrypt(JSON.stringify(payload)) },
    });
    deliveryId = row.id;
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const existing = await deps.db.delivery.findUniqueOrThrow({ where: { messageId_event: { messageId: message.id, event: MESSAGE_EVENT } } });
    deliveryId = existing.id;
  }
  await enqueueDelivery(deps, deliveryId);
  return deliveryId;
}

/**
 * Nudges the delivery worker; the row in Postgres is the truth, so a Redis outage here only
 * delays the delivery until the sweeper re-enqueues pending rows.
 */
export async function enqueueDelivery(deps: Pick<Deps, 'queues' | 'logger' | 'config'>, deliveryId: string): Promise<boolean> {
  try {
    await withTimeout(
      deps.queues.delivery.add(
        'deliver',
        { deliveryId },
        {
          jobId: deliveryId,
          attempts: deps.config.delivery.attempts,
          backoff: { type: 'exponential', delay: deps.config.delivery.retryDelayMs },
          removeOnComplete: true,
          removeOnFail: true,
        },
      ),
      ENQUEUE_TIMEOUT_MS,
    );
    return true;
  } catch (err) {
    deps.logger.warn({ deliveryId, err: { message: (err as Error).message } }, 'delivery enqueue failed; sweeper will retry');
    return false;
  }
}

import { ENQUEUE_TIMEOUT_MS, withTimeout } from '../../shared/with-timeout';
import type { Deps } from '../../shared/deps';
import type { Tx } from '../../shared/db/prisma';

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

/** The payload of a customer-visible message for the helpdesk's callback. */
export function messagePayload(
  ticket: { id: string; source: string; externalId: string },
  message: { id: string; author: string; disclosure?: string | null; createdAt: Date },
  body: string,
): MessagePayload {
  return {
    event: MESSAGE_EVENT,
    ticketId: ticket.id,
    source: ticket.source,
    externalId: ticket.externalId,
    message: {
      id: message.id,
      author: message.author,
      body,
      ...(message.disclosure ? { disclosure: message.disclosure } : {}),
      createdAt: message.createdAt.toISOString(),
    },
  };
}

/**
 * The outbox half of delivering a customer-visible message (AI answer, agent reply, escalation
 * notice): writes its `deliveries` row, payload encrypted, with the transaction `tx` that creates
 * the message, so a process that dies after the commit leaves a pending row that the delivery
 * sweeper sends, never a message that nobody delivers. After the commit, pass the returned id to
 * enqueueDelivery. Returns null when the ticket has no callbackUrl.
 */
export async function recordDelivery(
  tx: Tx,
  cipher: Deps['cipher'],
  ticket: { id: string; source: string; externalId: string; callbackUrl: string | null },
  message: { id: string; author: string; disclosure?: string | null; createdAt: Date },
  body: string,
): Promise<string | null> {
  if (!ticket.callbackUrl) return null;
  const payload = messagePayload(ticket, message, body);
  const row = await tx.delivery.create({
    data: { ticketId: ticket.id, messageId: message.id, event: MESSAGE_EVENT, url: ticket.callbackUrl, payloadEnc: cipher.encrypt(JSON.stringify(payload)) },
    select: { id: true },
  });
  return row.id;
}

/**
 * Nudges the delivery worker; the row in Postgres is the truth, so a Redis outage or a crash here
 * only delays the delivery until the sweeper enqueues pending rows. The job id is the delivery id,
 * so the sweeper and this call never make two live jobs for one row.
 */
export async function enqueueDelivery(deps: Pick<Deps, 'queues' | 'logger' | 'config'>, deliveryId: string | null): Promise<boolean> {
  if (!deliveryId) return false;
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

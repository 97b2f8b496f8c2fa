import { z } from 'zod';
import type { NewTicket } from '../intake.schema';
import { assertReplyBody, parseProductPayload, productId, requiredText, toNewTicket, type HelpdeskAdapter } from './adapter';

// Zendesk webhooks subscribed to ticket events (event schema version 2022-11-06):
// `zen:event-type:ticket.created` and `zen:event-type:ticket.comment_added`, each with the ticket
// in `detail` and the event's own fields in `event`. docs/adapters.md shows both payloads.

const CREATED = 'zen:event-type:ticket.created';
const COMMENT_ADDED = 'zen:event-type:ticket.comment_added';

const envelope = z.object({ type: requiredText });

const detail = z.object({
  id: productId,
  subject: z.string().nullish(),
  description: requiredText,
  requester_id: productId,
  via: z.object({ channel: z.string().nullish() }).nullish(),
  tags: z.array(z.string()).nullish(),
});

const created = z.object({ type: z.literal(CREATED), detail });

const commentAdded = z.object({
  type: z.literal(COMMENT_ADDED),
  detail: z.object({ id: productId }),
  event: z.object({
    comment: z.object({
      id: productId.nullish(),
      body: requiredText,
      is_public: z.boolean().nullish(),
      author: z.object({ id: productId, is_staff: z.boolean().nullish() }),
    }),
  }),
});

/** Zendesk's `via.channel` values, folded into the contract's channels. */
export function zendeskChannel(via: string | null | undefined): NewTicket['channel'] {
  switch (via) {
    case 'email':
    case 'mail':
      return 'email';
    case 'chat':
    case 'native_messaging':
    case 'messaging':
    case 'sunshine_conversations_api':
    case 'whatsapp':
    case 'line':
      return 'chat';
    case 'voice':
    case 'phone_call_inbound':
    case 'phone_call_outbound':
    case 'sms':
      return 'phone';
    case 'twitter':
    case 'facebook':
    case 'instagram_dm':
    case 'any_channel':
      return 'social';
    default:
      return 'web';
  }
}

export const zendeskAdapter: HelpdeskAdapter = {
  source: 'zendesk',
  map(payload) {
    const { type } = parseProductPayload(envelope, payload, 'Zendesk');
    if (type === CREATED) {
      const { detail: d } = parseProductPayload(created, payload, 'Zendesk');
      const ticket = toNewTicket(
        {
          source: 'zendesk',
          externalId: d.id,
          channel: zendeskChannel(d.via?.channel),
          subject: d.subject || undefined,
          // Zendesk's description is the first comment as plain text already.
          body: d.description,
          customer: { externalId: d.requester_id },
          metadata: d.tags?.length ? { zendeskTags: d.tags.join(',').slice(0, 1000) } : {},
        },
        { externalId: 'detail.id', subject: 'detail.subject', body: 'detail.description', 'customer.externalId': 'detail.requester_id' },
        'Zendesk',
      );
      return { kind: 'ticket', ticket };
    }
    if (type === COMMENT_ADDED) {
      const { detail: d, event } = parseProductPayload(commentAdded, payload, 'Zendesk');
      const { comment } = event;
      // Agents' comments (including Handoff's own delivered answers) and internal notes are not the customer's.
      if (comment.author.is_staff) return { kind: 'ignored', reason: 'The comment was written by an agent.' };
      if (comment.is_public === false) return { kind: 'ignored', reason: 'The comment is private.' };
      return { kind: 'reply', externalId: d.id, body: assertReplyBody(comment.body.trim(), 'event.comment.body') };
    }
    return { kind: 'ignored', reason: `Zendesk events of type '${type}' are not used by Handoff.` };
  },
};

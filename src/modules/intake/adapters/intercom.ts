import { z } from 'zod';
import { AppError } from '../../../shared/errors/app-error';
import { assertReplyBody, htmlToText, parseProductPayload, productId, requiredText, toNewTicket, type HelpdeskAdapter } from './adapter';

// Intercom webhook notifications (`type: notification_event`) for the topics
// `conversation.user.created` and `conversation.user.replied`; `data.item` is the Conversation.
// The first message is `source` (API 2.x) or `conversation_message` (API 1.x), HTML in `body`.

const USER_CREATED = 'conversation.user.created';
const USER_REPLIED = 'conversation.user.replied';
const CUSTOMER_AUTHORS = new Set(['user', 'lead', 'contact']);

const envelope = z.object({ type: z.literal('notification_event', { error: "must be 'notification_event'" }), topic: requiredText });

const author = z.object({
  type: requiredText,
  id: productId,
  name: z.string().nullish(),
  email: z.string().nullish(),
});

const message = z.object({
  type: z.string().nullish(),
  delivered_as: z.string().nullish(),
  subject: z.string().nullish(),
  body: requiredText,
  author,
});

const conversation = z.object({
  type: z.literal('conversation', { error: "must be 'conversation'" }),
  id: productId,
  source: message.nullish(),
  conversation_message: message.nullish(),
});

const createdPayload = z.object({ data: z.object({ item: conversation }) });

const part = z.object({
  part_type: z.string().nullish(),
  body: z.string().nullish(),
  author: z.object({ type: requiredText, id: productId.nullish() }),
});

const repliedPayload = z.object({
  data: z.object({
    item: z.object({
      type: z.literal('conversation', { error: "must be 'conversation'" }),
      id: productId,
      conversation_parts: z.object({ conversation_parts: z.array(part) }),
    }),
  }),
});

const isEmail = (s: string | null | undefined): s is string => !!s && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);

export const intercomAdapter: HelpdeskAdapter = {
  source: 'intercom',
  map(payload) {
    const { topic } = parseProductPayload(envelope, payload, 'Intercom');
    if (topic === USER_CREATED) {
      const { item } = parseProductPayload(createdPayload, payload, 'Intercom').data;
      const first = item.source ?? item.conversation_message;
      const base = item.source ? 'data.item.source' : 'data.item.conversation_message';
      if (!first) {
        throw new AppError('VALIDATION_FAILED', 'The conversation has no first message.', {
          errors: [{ path: 'data.item.source', message: 'is required' }],
        });
      }
      const subject = first.subject ? htmlToText(first.subject) : '';
      const ticket = toNewTicket(
        {
          source: 'intercom',
          externalId: item.id,
          channel: first.type === 'email' || first.delivered_as === 'customer_initiated_email' ? 'email' : 'chat',
          subject: subject || undefined,
          body: htmlToText(first.body),
          customer: {
            externalId: first.author.id,
            ...(first.author.name ? { name: first.author.name } : {}),
            // Intercom sends "" for unknown emails; an invalid one is dropped, not a reason to lose the ticket.
            ...(isEmail(first.author.email) ? { email: first.author.email } : {}),
          },
        },
        {
          externalId: 'data.item.id',
          subject: `${base}.subject`,
          body: `${base}.body`,
          'customer.externalId': `${base}.author.id`,
          'customer.name': `${base}.author.name`,
        },
        'Intercom',
      );
      return { kind: 'ticket', ticket };
    }
    if (topic === USER_REPLIED) {
      const { item } = parseProductPayload(repliedPayload, payload, 'Intercom').data;
      const parts = item.conversation_parts.conversation_parts;
      // The notification carries the new part(s); the customer's latest comment is the reply.
      let index = -1;
      for (let i = parts.length - 1; i >= 0; i--) {
        if (parts[i].part_type === 'comment' && CUSTOMER_AUTHORS.has(parts[i].author.type) && parts[i].body) {
          index = i;
          break;
        }
      }
      if (index < 0) {
        throw new AppError('VALIDATION_FAILED', 'The notification has no customer comment.', {
          errors: [{ path: 'data.item.conversation_parts.conversation_parts', message: 'must contain a comment by a user or lead' }],
        });
      }
      const body = htmlToText(parts[index].body!);
      return { kind: 'reply', externalId: item.id, body: assertReplyBody(body, `data.item.conversation_parts.conversation_parts.${index}.body`) };
    }
    return { kind: 'ignored', reason: `Intercom topic '${topic}' is not used by Handoff.` };
  },
};

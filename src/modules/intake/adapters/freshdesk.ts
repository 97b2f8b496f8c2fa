import { z } from 'zod';
import { AppError } from '../../../shared/errors/app-error';
import type { NewTicket } from '../intake.schema';
import { assertReplyBody, htmlToText, parseProductPayload, productId, requiredText, toNewTicket, type HelpdeskAdapter } from './adapter';

// Freshdesk automation rules send whatever JSON the admin writes with placeholders. Handoff expects
// the `freshdesk_webhook` object with Freshdesk's own field names (those of its Simple format),
// plus `handoff_event` to tell a new ticket from a customer reply: the two rule templates are in
// docs/adapters.md. Without `handoff_event` the payload is a new ticket, so a Simple-format
// "ticket created" rule works as it is.

const EVENTS = ['ticket_created', 'customer_reply'] as const;

const optionalText = z.string().nullish();

const envelope = z.object({
  freshdesk_webhook: z.object(
    {
      handoff_event: z.enum(EVENTS, { error: `must be one of: ${EVENTS.join(', ')}` }).default('ticket_created'),
      ticket_id: productId,
    },
    { error: 'is required' },
  ),
});

const created = z.object({
  freshdesk_webhook: z.object({
    ticket_id: productId,
    ticket_subject: optionalText,
    ticket_description: requiredText,
    ticket_source: z.union([z.string(), z.number()]).nullish(),
    ticket_requester_id: productId.nullish().or(z.literal('').transform(() => undefined)),
    ticket_requester_name: optionalText,
    ticket_requester_email: optionalText,
    ticket_requester_phone: optionalText,
  }),
});

const reply = z.object({ freshdesk_webhook: z.object({ ticket_id: productId, ticket_latest_public_comment: requiredText }) });

/** Freshdesk's ticket source, as its placeholder prints it (a name) or as its API numbers it. */
export function freshdeskChannel(source: string | number | null | undefined): NewTicket['channel'] {
  const key = String(source ?? '').trim().toLowerCase();
  switch (key) {
    case '1':
    case '10':
    case 'email':
    case 'outbound email':
      return 'email';
    case '3':
    case 'phone':
      return 'phone';
    case '7':
    case 'chat':
    case 'whatsapp':
      return 'chat';
    case '5':
    case '6':
    case 'twitter':
    case 'facebook':
      return 'social';
    default:
      return 'web';
  }
}

const blankToUndefined = (s: string | null | undefined) => (s && s.trim() ? s.trim() : undefined);

export const freshdeskAdapter: HelpdeskAdapter = {
  source: 'freshdesk',
  map(payload) {
    const { handoff_event: event } = parseProductPayload(envelope, payload, 'Freshdesk').freshdesk_webhook;
    if (event === 'customer_reply') {
      const f = parseProductPayload(reply, payload, 'Freshdesk').freshdesk_webhook;
      const body = htmlToText(f.ticket_latest_public_comment);
      return { kind: 'reply', externalId: f.ticket_id, body: assertReplyBody(body, 'freshdesk_webhook.ticket_latest_public_comment') };
    }
    const f = parseProductPayload(created, payload, 'Freshdesk').freshdesk_webhook;
    const email = blankToUndefined(f.ticket_requester_email)?.toLowerCase();
    // The contact id is the stable key; an account that does not send it is keyed by the requester's email.
    const customerId = f.ticket_requester_id ?? email;
    if (!customerId) {
      throw new AppError('VALIDATION_FAILED', 'The Freshdesk payload does not say who the requester is.', {
        errors: [{ path: 'freshdesk_webhook.ticket_requester_id', message: 'is required (or freshdesk_webhook.ticket_requester_email)' }],
      });
    }
    const subject = blankToUndefined(f.ticket_subject);
    const ticket = toNewTicket(
      {
        source: 'freshdesk',
        externalId: f.ticket_id,
        channel: freshdeskChannel(f.ticket_source),
        subject,
        body: htmlToText(f.ticket_description),
        customer: {
          externalId: customerId,
          ...(email ? { email } : {}),
          ...(blankToUndefined(f.ticket_requester_name) ? { name: blankToUndefined(f.ticket_requester_name) } : {}),
          ...(blankToUndefined(f.ticket_requester_phone) ? { phone: blankToUndefined(f.ticket_requester_phone) } : {}),
        },
      },
      {
        externalId: 'freshdesk_webhook.ticket_id',
        subject: 'freshdesk_webhook.ticket_subject',
        body: 'freshdesk_webhook.ticket_description',
        'customer.externalId': f.ticket_requester_id ? 'freshdesk_webhook.ticket_requester_id' : 'freshdesk_webhook.ticket_requester_email',
        'customer.email': 'freshdesk_webhook.ticket_requester_email',
        'customer.name': 'freshdesk_webhook.ticket_requester_name',
        'customer.phone': 'freshdesk_webhook.ticket_requester_phone',
      },
      'Freshdesk',
    );
    return { kind: 'ticket', ticket };
  },
};

import { z } from 'zod';
import { identifier, text } from '../../shared/http/validation';

export const CHANNELS = ['email', 'chat', 'web', 'phone', 'social'] as const;
export const TIERS = ['standard', 'premium', 'vip'] as const;

export const customerSchema = z
  .object({
    externalId: identifier(200),
    email: text(320).pipe(z.string().email('must be an email address')).optional(),
    name: text(200).optional(),
    phone: text(50).optional(),
    locale: z
      .string()
      .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as "es" or "pt-BR"')
      .optional(),
    tier: z.enum(TIERS).default('standard'),
    aiOptOut: z.boolean().default(false),
  });

export const newTicketSchema = z
  .object({
    source: identifier(100).pipe(z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must be lower-case letters, digits, ".", "_" or "-"')),
    externalId: identifier(200),
    channel: z.enum(CHANNELS).default('web'),
    subject: text(500).optional(),
    body: text(20_000).refine((s) => s.trim().length > 0, 'must not be empty'),
    customer: customerSchema,
    callbackUrl: z.string().max(2000).url('must be an absolute http(s) URL').optional(),
    metadata: z.record(identifier(100), text(1000)).refine((m) => Object.keys(m).length <= 50, 'at most 50 entries').default({}),
  });
export type NewTicket = z.infer<typeof newTicketSchema>;

export const followUpSchema = z.object({ body: text(20_000).refine((s) => s.trim().length > 0, 'must not be empty') });

import { z } from 'zod';
import { identifier, sourceName, text } from '../../shared/http/validation';

export const CHANNELS = ['email', 'chat', 'web', 'phone', 'social'] as const;
export const TIERS = ['standard', 'premium', 'vip'] as const;

// Helpdesks send null for a field that is not set. For an optional field it reads as absent, so
// handlers never see null, and a field with a default gets that default.
function nullAsAbsent<T extends z.ZodType>(schema: T) {
  // The last `.optional()` keeps the key optional in the output type, as it was before nulls.
  return schema.nullish().transform((v) => v ?? undefined).optional();
}
function nullAsDefault<T extends z.ZodType>(schema: T, fallback: z.util.NoUndefined<z.output<T>>) {
  return schema.default(fallback).nullable().transform((v) => v ?? fallback);
}

export const customerSchema = z
  .object({
    externalId: identifier(200),
    email: nullAsAbsent(text(320).pipe(z.string().email('must be an email address'))),
    name: nullAsAbsent(text(200)),
    phone: nullAsAbsent(text(50)),
    locale: nullAsAbsent(z.string().regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as "es" or "pt-BR"')),
    tier: nullAsDefault(z.enum(TIERS), 'standard'),
    aiOptOut: nullAsDefault(z.boolean(), false),
  });

export const newTicketSchema = z
  .object({
    source: sourceName,
    externalId: identifier(200),
    channel: nullAsDefault(z.enum(CHANNELS), 'web'),
    subject: nullAsAbsent(text(500)),
    body: text(20_000).refine((s) => s.trim().length > 0, 'must not be empty'),
    customer: customerSchema,
    callbackUrl: nullAsAbsent(z.string().max(2000).url('must be an absolute http(s) URL')),
    metadata: nullAsDefault(z.record(identifier(100), text(1000)).refine((m) => Object.keys(m).length <= 50, 'at most 50 entries'), {}),
  });
export type NewTicket = z.infer<typeof newTicketSchema>;

export const followUpSchema = z.object({ body: text(20_000).refine((s) => s.trim().length > 0, 'must not be empty') });

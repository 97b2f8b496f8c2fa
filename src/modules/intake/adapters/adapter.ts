import { convert } from 'html-to-text';
import { z, type ZodType } from 'zod';
import { AppError, type FieldError } from '../../../shared/errors/app-error';
import { zodFieldErrors } from '../../../shared/errors/error-handler';
import { newTicketSchema, type NewTicket } from '../intake.schema';

/** What a helpdesk's webhook means for Handoff. */
export type AdapterEvent =
  | { kind: 'ticket'; ticket: NewTicket }
  | { kind: 'reply'; externalId: string; body: string }
  /** A well-formed event Handoff has nothing to do with (an agent's own comment, another topic). */
  | { kind: 'ignored'; reason: string };

/** A helpdesk adapter: the product's name (the ticket source) and how its payload maps to intake. */
export interface HelpdeskAdapter {
  source: 'zendesk' | 'intercom' | 'freshdesk';
  map(payload: unknown): AdapterEvent;
}

/**
 * Helpdesks send HTML (Intercom parts, Freshdesk descriptions). The scorer and the agents want the
 * words: links keep their text, images and their alt text go.
 */
export function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  }).trim();
}

/** Parses the product's payload; a 400 names the missing or wrong field by the product's own path. */
export function parseProductPayload<T>(schema: ZodType<T>, payload: unknown, product: string): T {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  throw new AppError('VALIDATION_FAILED', `The body is not a ${product} webhook payload Handoff understands.`, {
    errors: zodFieldErrors(parsed.error),
  });
}

/**
 * Validates the mapped ticket against the same schema as `POST /v1/tickets`, reporting any failure
 * at the product field it came from (`fieldMap` maps intake paths to product paths).
 */
export function toNewTicket(candidate: unknown, fieldMap: Record<string, string>, product: string): NewTicket {
  const parsed = newTicketSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const errors: FieldError[] = zodFieldErrors(parsed.error).map((e) => ({ path: fieldMap[e.path] ?? e.path, message: e.message }));
  throw new AppError('VALIDATION_FAILED', `The ${product} payload does not make a valid ticket.`, { errors });
}

/** Product ids arrive as numbers or strings depending on the product and template; Handoff keeps strings. */
export const productId = z.union([z.string().min(1, 'must not be empty'), z.number().int().nonnegative()]).transform(String);

/** A string field that must carry text, with the product's wording in the error. */
export const requiredText = z
  .string({ error: (issue) => (issue.input === undefined || issue.input === null ? 'is required' : 'must be a string') })
  .refine((s) => s.trim().length > 0, 'must not be empty');

/** Checks a reply body after HTML stripping, at the product's path. */
export function assertReplyBody(body: string, path: string): string {
  if (body.trim().length === 0) throw new AppError('VALIDATION_FAILED', 'The reply has no text.', { errors: [{ path, message: 'must contain text' }] });
  if (body.length > 20_000) throw new AppError('VALIDATION_FAILED', 'The reply is too long.', { errors: [{ path, message: 'must be at most 20000 characters' }] });
  return body;
}

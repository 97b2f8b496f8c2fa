import { z } from 'zod';
import { AppError } from '../errors/app-error';

// C0 controls other than tab, newline and carriage return, plus DEL: never meaningful in a ticket,
// and a classic way to smuggle data into logs and helpdesk UIs.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** A string without control characters, trimmed length bounded. */
export function text(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters');
}

/** A non-empty identifier-like string (external ids, source names). */
export function identifier(max = 200) {
  return text(max).refine((s) => s.trim().length > 0, 'must not be empty');
}

export const uuid = z.string().uuid();

/** A helpdesk's name, as tickets, webhook keys and signing secrets name it: lower case, so that one helpdesk is one source. */
export const sourceName = identifier(100).pipe(z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must be lower-case letters, digits, ".", "_" or "-"'));

/** A query parameter given empty (`?status=`) is one not given: its default, or no filter. */
export const emptyAsAbsent = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);

/** Cursor pagination per the contract: ?limit (default 50, max 200) & ?cursor. */
export const pageQuery = z.object({
  limit: emptyAsAbsent(z.coerce.number().int().min(1).max(200).default(50)),
  cursor: z.string().max(200).optional(),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Opaque cursor over (createdAt, id), the stable order of every list. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

/**
 * Where a cursor from encodeCursor points, or undefined for the first page. A cursor that is not one
 * is a 400 here, so that no list answers it with its first page as if none had been sent.
 */
export function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso);
  if (!id || Number.isNaN(createdAt.getTime()) || !uuid.safeParse(id).success) throw invalidCursor();
  return { createdAt, id };
}

/** Prisma's `where` for the rows after a cursor of a list ordered by (createdAt, id); nothing for the first page. */
export function afterCursor(after: { createdAt: Date; id: string } | undefined) {
  return after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {};
}

/** The 400 for a cursor that the list did not hand out. */
export const invalidCursor = () => new AppError('VALIDATION_FAILED', 'The cursor is not valid.', { errors: [{ path: 'cursor', message: 'is not a cursor of this list' }] });

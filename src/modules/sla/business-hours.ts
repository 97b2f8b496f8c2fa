import { DateTime } from 'luxon';
import { z } from 'zod';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof DAYS)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (00:00 to 24:00)');
const interval = z
  .tuple([hhmm, hhmm])
  .refine(([open, close]) => minutesOf(open) < minutesOf(close), 'must open before it closes');

/** Opening hours of one policy in one timezone; holidays are local dates with no business hours. */
export const BusinessHoursSchema = z
  .object({
    timezone: z.string().refine((tz) => DateTime.local().setZone(tz).isValid, 'must be an IANA timezone such as Europe/Madrid'),
    weekly: z.object(Object.fromEntries(DAYS.map((d) => [d, z.array(interval).max(6).optional()])) as Record<Weekday, z.ZodOptional<z.ZodArray<typeof interval>>>).strict(),
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')).max(400).default([]),
  })
  .strict()
  .refine((b) => DAYS.some((d) => (b.weekly[d]?.length ?? 0) > 0), { message: 'needs at least one opening interval', path: ['weekly'] });

export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

function minutesOf(t: string): number {
  const [h, m] = t.split(':').map(Number);
  return h * 60 + m;
}

/** Wall-clock time on a local day; set() rather than plus() so DST days keep 09:00 at 09:00. */
function atLocal(day: DateTime, t: string): number {
  if (t === '24:00') return day.plus({ days: 1 }).startOf('day').toMillis();
  const [hour, minute] = t.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
}

/** A target may not stretch past this many calendar days; a calendar that never opens fails loudly instead of looping. */
const MAX_DAYS = 800;

/**
 * Adds `minutes` of business time to `from`, walking the policy's opening intervals in its own
 * timezone (DST and holidays included), like Zendesk's and Zammad's business-hours SLAs. Pure: the
 * caller passes the start instant.
 */
export function addBusinessMinutes(from: Date, minutes: number, hours: BusinessHours): Date {
  const holidays = new Set(hours.holidays);
  let remainingMs = minutes * 60_000;
  // Instants as epoch milliseconds; only day boundaries and opening times need the timezone.
  let cursor = from.getTime();
  let day = DateTime.fromJSDate(from, { zone: hours.timezone }).startOf('day');
  for (let i = 0; i < MAX_DAYS; i++) {
    const weekday = DAYS[day.weekday - 1];
    const intervals = holidays.has(day.toISODate()!) ? [] : (hours.weekly[weekday] ?? []);
    for (const [open, close] of [...intervals].sort((a, b) => minutesOf(a[0]) - minutesOf(b[0]))) {
      const opensAt = atLocal(day, open);
      const closesAt = atLocal(day, close);
      if (cursor >= closesAt) continue;
      cursor = Math.max(cursor, opensAt);
      const available = closesAt - cursor;
      if (remainingMs <= available) return new Date(cursor + remainingMs);
      remainingMs -= available;
      cursor = closesAt;
    }
    day = day.plus({ days: 1 }).startOf('day');
    cursor = Math.max(cursor, day.toMillis());
  }
  throw new Error(`business hours never reach the target within ${MAX_DAYS} days`);
}

import { addBusinessMinutes, BusinessHoursSchema, type BusinessHours } from './business-hours';
import { computeDueTimes, DEFAULT_SLA_POLICIES } from './sla-policy';

const weekdays = (open: string, close: string) =>
  Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [[open, close]]]));

const madrid: BusinessHours = BusinessHoursSchema.parse({ timezone: 'Europe/Madrid', weekly: weekdays('09:00', '18:00'), holidays: ['2026-12-08'] });

describe('addBusinessMinutes', () => {
  test('when a 1 h target starts Friday 17:55, then it is due Monday 09:55 local time', () => {
    // Friday 2026-11-27 17:55 in Madrid (UTC+1) is 16:55Z.
    const due = addBusinessMinutes(new Date('2026-11-27T16:55:00Z'), 60, madrid);
    expect(due.toISOString()).toBe('2026-11-30T08:55:00.000Z');
  });

  test('when the start is before opening, then the clock starts at opening', () => {
    expect(addBusinessMinutes(new Date('2026-11-30T05:00:00Z'), 30, madrid).toISOString()).toBe('2026-11-30T08:30:00.000Z');
  });

  test('when the next day is a holiday, then it is skipped', () => {
    // Monday 2026-12-07 17:30 local + 60 min: 30 min Monday, Tuesday 8 Dec is a holiday, 30 min Wednesday.
    expect(addBusinessMinutes(new Date('2026-12-07T16:30:00Z'), 60, madrid).toISOString()).toBe('2026-12-09T08:30:00.000Z');
  });

  test('when a target spans several days, then only opening hours count', () => {
    // 24 business hours from Monday 09:00 = 9 h Mon + 9 h Tue + 6 h Wed → Wednesday 15:00 local.
    expect(addBusinessMinutes(new Date('2026-11-30T08:00:00Z'), 24 * 60, madrid).toISOString()).toBe('2026-12-02T14:00:00.000Z');
  });

  test('when the clocks change (spring forward in New York), then 09:00 stays 09:00 local', () => {
    const ny = BusinessHoursSchema.parse({ timezone: 'America/New_York', weekly: { sun: [['09:00', '17:00']], mon: [['09:00', '17:00']] } });
    // Saturday 2026-03-07 20:00 EST; DST starts Sunday 8 March, so Sunday 09:00 EDT is 13:00Z.
    expect(addBusinessMinutes(new Date('2026-03-08T01:00:00Z'), 15, ny).toISOString()).toBe('2026-03-08T13:15:00.000Z');
  });

  test('when a day has two intervals, then the lunch break does not count', () => {
    const split = BusinessHoursSchema.parse({ timezone: 'UTC', weekly: { mon: [['14:00', '18:00'], ['09:00', '13:00']] } });
    expect(addBusinessMinutes(new Date('2026-11-30T12:30:00Z'), 60, split).toISOString()).toBe('2026-11-30T14:30:00.000Z');
  });

  test('when an interval runs to 24:00, then it ends at midnight', () => {
    const late = BusinessHoursSchema.parse({ timezone: 'UTC', weekly: { mon: [['20:00', '24:00']], tue: [['00:00', '02:00']] } });
    expect(addBusinessMinutes(new Date('2026-11-30T23:30:00Z'), 60, late).toISOString()).toBe('2026-12-01T00:30:00.000Z');
  });
});

describe('BusinessHoursSchema', () => {
  test.each([
    [{ timezone: 'Mars/Olympus', weekly: { mon: [['09:00', '17:00']] } }, 'timezone'],
    [{ timezone: 'UTC', weekly: {} }, 'weekly'],
    [{ timezone: 'UTC', weekly: { mon: [['17:00', '09:00']] } }, 'weekly.mon.0'],
    [{ timezone: 'UTC', weekly: { mon: [['9am', '17:00']] } }, 'weekly.mon.0.0'],
    [{ timezone: 'UTC', weekly: { mon: [['09:00', '17:00']] }, holidays: ['25/12/2026'] }, 'holidays.0'],
  ])('when given %j, then the error points at %s', (input, path) => {
    const r = BusinessHoursSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('computeDueTimes', () => {
  test('when the policy has no business hours, then targets are wall-clock minutes', () => {
    const due = computeDueTimes('urgent', new Date('2026-11-27T16:55:00Z'));
    expect(due.firstResponseDueAt.toISOString()).toBe('2026-11-27T17:10:00.000Z');
    expect(due.resolutionDueAt.toISOString()).toBe('2026-11-27T20:55:00.000Z');
    expect(due.humanRequestDueAt.toISOString()).toBe('2026-11-27T17:25:00.000Z');
  });

  test('when the policy has business hours, then every clock follows them', () => {
    const policies = { ...DEFAULT_SLA_POLICIES, high: { ...DEFAULT_SLA_POLICIES.high, businessHours: madrid } };
    const due = computeDueTimes('high', new Date('2026-11-27T16:55:00Z'), policies);
    expect(due.firstResponseDueAt.toISOString()).toBe('2026-11-30T08:55:00.000Z');
    expect(due.humanRequestDueAt.toISOString()).toBe('2026-11-30T08:25:00.000Z');
  });
});

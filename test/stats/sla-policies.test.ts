import { apiClient, type ApiClient } from '../support/api-client';
import { buildTicket, createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { addBusinessMinutes, BusinessHoursSchema } from '../../src/modules/sla';

describe('GET/PUT /v1/sla-policies', () => {
  let app: TestApp;
  let admin: ApiClient;
  let supervisor: ApiClient;
  let original: Record<string, unknown>;

  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
    supervisor = apiClient(app.url, await createKey(admin, { role: 'supervisor' }));
    original = (await admin.get('/v1/sla-policies')).body;
  });
  afterAll(async () => {
    await admin.put('/v1/sla-policies', original);
    await app.close();
  });

  test('when read, then the defaults per priority are there, with the human-request target', async () => {
    const r = await supervisor.get('/v1/sla-policies');
    expect(r.status).toBe(200);
    expect(r.body.urgent).toMatchObject({ firstResponseMinutes: 15, resolutionMinutes: 240, humanRequestMinutes: 30 });
    expect(r.body.low).toMatchObject({ firstResponseMinutes: 480, resolutionMinutes: 4320 });
  });

  test('when a supervisor tries to edit, then 403; when an admin sends nonsense, then 400 with paths', async () => {
    expect((await supervisor.put('/v1/sla-policies', { low: { firstResponseMinutes: 1, resolutionMinutes: 2 } })).status).toBe(403);
    const bad = await admin.put('/v1/sla-policies', {
      high: { firstResponseMinutes: 90, resolutionMinutes: 60, businessHours: { timezone: 'Nowhere/Land', weekly: { mon: [['09:00', '17:00']] } } },
      medium: { firstResponseMinutes: 1, resolutionMinutes: 2 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['high.businessHours.timezone', 'high.firstResponseMinutes']));
  });

  test('when an admin sets business hours, then new tickets are due within them and the change is audited', async () => {
    const businessHours = { timezone: 'Europe/Madrid', weekly: { mon: [['09:00', '17:00']], wed: [['10:00', '12:00']] }, holidays: [] };
    const all = Object.fromEntries(['urgent', 'high', 'normal', 'low'].map((p) => [p, { firstResponseMinutes: 60, resolutionMinutes: 600, humanRequestMinutes: 20, businessHours }]));
    const put = await admin.put('/v1/sla-policies', all);
    expect(put.status).toBe(200);
    expect(put.body.normal).toEqual({ firstResponseMinutes: 60, resolutionMinutes: 600, humanRequestMinutes: 20, businessHours });

    const webhook = apiClient(app.url, await createKey(admin, { role: 'webhook', source: 'zendesk' }));
    const t = await webhook.post('/v1/tickets', buildTicket({ body: 'I want to talk to a human, please. Where is my parcel?' }));
    expect(t.status).toBe(202);
    const bh = BusinessHoursSchema.parse(businessHours);
    const created = new Date(t.body.createdAt);
    expect(t.body.sla.firstResponseDueAt).toBe(addBusinessMinutes(created, 60, bh).toISOString());
    expect(t.body.sla.resolutionDueAt).toBe(addBusinessMinutes(created, 600, bh).toISOString());
    const local = new Date(t.body.sla.firstResponseDueAt);
    // Monday or Wednesday, inside 09:00-17:00 Madrid time.
    const wd = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Madrid', weekday: 'short' }).format(local);
    expect(['Mon', 'Wed']).toContain(wd);
    const row = await app.deps.db.ticket.findUniqueOrThrow({ where: { id: t.body.id } });
    expect(row.humanRequestedAt).not.toBeNull();
    expect(row.humanRequestDueAt!.toISOString()).toBe(addBusinessMinutes(row.humanRequestedAt!, 20, bh).toISOString());
    expect(row.initialRoute).toBe(row.route);

    expect(await app.deps.db.auditLog.count({ where: { action: 'sla_policies.update', entity: 'sla_policy' } })).toBeGreaterThan(0);
  });
});

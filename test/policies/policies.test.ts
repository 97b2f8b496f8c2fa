import { randomUUID } from 'node:crypto';
import { apiClient, type ApiClient } from '../support/api-client';
import { createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { DEFAULT_POLICY } from '../../src/modules/routing';

/** Drafts only: this file shares the test database, so it never activates a version. */
describe('routing policy versions', () => {
  let app: TestApp;
  let admin: ApiClient;
  let supervisor: ApiClient;
  const { version: _v, ...defaults } = DEFAULT_POLICY;

  beforeAll(async () => {
    app = await startApp();
    admin = apiClient(app.url, ADMIN_KEY);
    supervisor = apiClient(app.url, await createKey(admin, { role: 'supervisor' }));
  });
  afterAll(() => app.close());

  describe('POST /v1/policies', () => {
    it('when an admin posts a whole policy with a version, then a draft is stored, audited and listed next to the active one', async () => {
      const version = `p-${randomUUID()}`;
      const policy = { ...defaults, highComplexityThreshold: 0.8, aiLanguages: ['en', 'it'] };

      const res = await admin.post('/v1/policies', { version, note: 'Italian pilot', policy });

      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(`/v1/policies/${version}`);
      expect(res.body).toMatchObject({ version, status: 'draft', active: false, policy, note: 'Italian pilot', createdBy: 'env-admin', activatedAt: null });
      expect((await supervisor.get(`/v1/policies/${version}`)).body).toEqual(res.body);
      const list = await supervisor.get('/v1/policies?limit=200');
      expect(list.body.items.map((p: { version: string }) => p.version)).toContain(version);
      const times = list.body.items.map((p: { createdAt: string }) => p.createdAt);
      expect(times).toEqual([...times].sort().reverse());
      expect(list.body.items.filter((p: { active: boolean }) => p.active)).toEqual([expect.objectContaining({ version: DEFAULT_POLICY.version, status: 'active' })]);
      const audit = await admin.get(`/v1/audit?entity=routing_policy&entityId=${version}`);
      expect(audit.body.items).toEqual([expect.objectContaining({ action: 'policy.create', detail: { basedOn: DEFAULT_POLICY.version } })]);
    });

    it('when only some fields are given and no version, then the rest comes from the active version and a version is generated', async () => {
      const res = await admin.post('/v1/policies', { policy: { repeatContactThreshold: 5 } });

      expect(res.status).toBe(201);
      expect(res.body.version).toMatch(/^policy-\d{4}\.\d{2}\.\d{2}-[0-9a-f]{6}$/);
      expect(res.body.policy).toEqual({ ...defaults, repeatContactThreshold: 5 });
    });

    it('when the version exists, then 409 problem+json', async () => {
      const version = `p-${randomUUID()}`;
      await admin.post('/v1/policies', { version, policy: {} });

      const res = await admin.post('/v1/policies', { version, policy: { highComplexityThreshold: 0.9 } });

      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('CONFLICT');
    });

    it.each([
      ['a sentiment threshold outside [-1, 1]', { policy: { negativeSentimentThreshold: -1.5 } }, 'policy.negativeSentimentThreshold'],
      ['a complexity threshold outside [0, 1]', { policy: { highComplexityThreshold: 1.2 } }, 'policy.highComplexityThreshold'],
      ['a threshold that is not a number', { policy: { highComplexityThreshold: '0.8' } }, 'policy.highComplexityThreshold'],
      ['an unknown flag', { policy: { humanFlags: ['human_requested', 'angry'] } }, 'policy.humanFlags.1'],
      ['a repeated flag', { policy: { urgentFlags: ['safety', 'safety'] } }, 'policy.urgentFlags'],
      ['a language name instead of a code', { policy: { aiLanguages: ['english'] } }, 'policy.aiLanguages.0'],
      ['a code that is no language', { policy: { aiLanguages: ['en', 'zz'] } }, 'policy.aiLanguages.1'],
      ['a fractional repeat threshold', { policy: { repeatContactThreshold: 2.5 } }, 'policy.repeatContactThreshold'],
      ['an unknown policy field', { policy: { vipGoesFirst: true } }, 'policy'],
      ['an unknown top-level field', { policy: {}, activate: true }, '(root)'],
      ['a version with spaces', { version: 'my policy', policy: {} }, 'version'],
      ['no policy at all', { version: `p-${randomUUID()}` }, 'policy'],
    ])('when the body has %s, then 400 problem+json names the field', async (_what, body, path) => {
      const res = await admin.post('/v1/policies', body);

      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    });

    it('when a supervisor posts a draft or activates, then 403', async () => {
      expect((await supervisor.post('/v1/policies', { policy: {} })).status).toBe(403);
      expect((await supervisor.post(`/v1/policies/${DEFAULT_POLICY.version}/activate`, {})).status).toBe(403);
    });
  });

  describe('GET /v1/policies', () => {
    it('when paged, then every version comes once, newest first, and a forged cursor is refused', async () => {
      for (let i = 0; i < 3; i++) await admin.post('/v1/policies', { version: `page-${i}-${randomUUID()}`, policy: {} });
      const all = (await admin.get('/v1/policies?limit=200')).body.items.map((p: { version: string }) => p.version);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: { version: string }[]; nextCursor: string | null } } = await admin.get(`/v1/policies?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...res.body.items.map((p) => p.version));
        cursor = res.body.nextCursor;
      } while (cursor);
      const forged = await admin.get('/v1/policies?cursor=bm9wZQ');

      // Other files may add drafts meanwhile; those aside, the pages hold the list in order, once each.
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((v) => all.includes(v))).toEqual(all);
      expect(forged.status).toBe(400);
      expect(forged.body.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
    });

    it('when the version does not exist, then 404 problem+json', async () => {
      const res = await supervisor.get('/v1/policies/nothing-here');

      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    });
  });

  describe('POST /v1/policies/{version}/activate', () => {
    it('when the body is not what activation takes, then 400 and nothing changes', async () => {
      const unknownField = await admin.post(`/v1/policies/${DEFAULT_POLICY.version}/activate`, { confirm: true });
      const badWindow = await admin.post(`/v1/policies/${DEFAULT_POLICY.version}/activate`, { from: 'last week' });
      const missing = await admin.post('/v1/policies/nothing-here/activate', {});

      expect(unknownField.status).toBe(400);
      expect(badWindow.status).toBe(400);
      expect(badWindow.body.errors).toEqual([expect.objectContaining({ path: 'from' })]);
      expect(missing.status).toBe(404);
      expect(app.deps.policies.current().version).toBe(DEFAULT_POLICY.version);
    });
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { apiClient } from '../support/api-client';
import { createKey } from '../support/factories';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';
import { insertTicket, prng } from '../support/ticket-factory';

const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');
const MIN = 60_000;

describe('GET /dashboard in a real browser', () => {
  let app: TestApp;
  let browser: Browser;
  let key: string;

  beforeAll(async () => {
    app = await startApp();
    key = await createKey(apiClient(app.url, ADMIN_KEY), { role: 'supervisor' });
    const db = app.deps.db;
    const agents = [];
    const now = Date.now();
    for (const [name, capacity, skills] of [['Ana', 4, ['billing', 'technical']], ['Bruno', 3, ['billing']], ['Chloé', 5, ['legal']]] as const) {
      const agent = await db.agent.create({ data: { name, email: `${name}@example.com`, skills: [...skills], languages: ['en'], capacity, status: 'available' } });
      // Available for the last two days, as the skills chart's supply.
      await db.agentStatusChange.create({ data: { agentId: agent.id, status: 'available', skills: [...skills], changedAt: new Date(now - 2 * 24 * 60 * MIN) } });
      agents.push(agent);
    }
    const rand = prng(7);
    const SKILLS = [['billing'], ['technical'], ['billing', 'legal']];
    for (let i = 0; i < 90; i++) {
      const createdAt = new Date(now - Math.floor(rand() * 13 * 24 * 60 + 60) * MIN);
      const priority = (['urgent', 'high', 'normal', 'low'] as const)[i % 4];
      const due = { urgent: 15, high: 60, normal: 240, low: 480 }[priority];
      const ai = rand() < 0.55;
      const answeredAt = new Date(createdAt.getTime() + Math.floor(rand() * due * 1.6 + 1) * MIN);
      const common = {
        createdAt, priority, customerLocale: ['en', 'es', 'de'][i % 3], skills: SKILLS[i % 3], initialRoute: ai ? ('ai' as const) : ('human' as const),
        firstResponseDueAt: new Date(createdAt.getTime() + due * MIN), resolutionDueAt: new Date(createdAt.getTime() + due * 8 * MIN),
        firstResponseBreachedAt: answeredAt.getTime() > createdAt.getTime() + due * MIN ? new Date(createdAt.getTime() + due * MIN) : null,
      };
      const t = ai
        ? await insertTicket(db, { ...common, route: 'ai', status: 'ai_answered', aiAnsweredAt: answeredAt, firstRespondedAt: answeredAt })
        : await insertTicket(db, i % 5 === 0
            ? { ...common, route: 'human', status: 'assigned', assignedAgentId: agents[i % 3].id, firstRespondedAt: answeredAt, resolutionBreachedAt: common.resolutionDueAt }
            : { ...common, route: 'human', status: 'resolved', assignedAgentId: agents[i % 3].id, firstRespondedAt: answeredAt, resolvedAt: new Date(answeredAt.getTime() + 30 * MIN) });
      if (!ai) {
        const code = ['HUMAN_REQUESTED', 'NEGATIVE_SENTIMENT', 'SENSITIVE_TOPIC', 'HIGH_COMPLEXITY'][i % 4];
        await db.decision.create({ data: { ticketId: t.id, trigger: 'intake', route: 'human', priority, sentiment: 0, complexity: 0, flags: [], language: 'en',
          reasons: [{ code, detail: 'seeded' }], scorerVersion: 'test', policyVersion: 'test', createdAt } });
      }
    }
    for (const priority of ['urgent', 'high', 'normal'] as const)
      await insertTicket(db, { createdAt: new Date(now - 20 * MIN), priority, skills: ['legal'], status: 'human_queued', firstResponseDueAt: new Date(now + 60 * MIN), resolutionDueAt: new Date(now + 600 * MIN) });

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app.close();
  });

  test('when a supervisor signs in, then every chart renders non-empty data, and a screenshot is kept', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const res = await page.goto(`${app.url}/dashboard`);
    expect(res!.status()).toBe(200);
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.fill('#key', key);
    await page.click('button[type=submit]');
    await page.waitForSelector('body[data-state=ready]', { timeout: 15_000 });

    // A string, because this project compiles without the DOM typings.
    const charts: { id: string; values: number; width: number }[] = await page.evaluate(`
      Array.from(document.querySelectorAll('canvas')).map((c) => {
        const chart = Chart.getChart(c);
        const values = chart ? chart.data.datasets.flatMap((d) => d.data).filter((v) => typeof v === 'number' && v > 0) : [];
        return { id: c.id, values: values.length, width: c.width };
      })`);
    expect(charts.map((c) => c.id).sort()).toEqual(['chart-agents', 'chart-attainment', 'chart-fairness', 'chart-queue', 'chart-reasons', 'chart-route', 'chart-skills']);
    for (const c of charts) {
      expect({ id: c.id, nonEmpty: c.values > 0 }).toEqual({ id: c.id, nonEmpty: true });
      expect(c.width).toBeGreaterThan(100);
    }
    expect(Number(await page.textContent('#tile-waiting'))).toBeGreaterThanOrEqual(3);
    // The legal tickets have waited past the 10-minute target: at least one shortage is named.
    expect(await page.locator('#skills-shortages li').count()).toBeGreaterThan(0);
    expect(await page.textContent('#skills-shortages')).toMatch(/h waited past/);
    expect(errors).toEqual([]);

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    expect(fs.statSync(path.join(ARTIFACTS, 'dashboard.png')).size).toBeGreaterThan(10_000);
  });

  test('when the key is not a supervisor key, then the page says so and shows no data', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/dashboard`);
    await page.fill('#key', 'hk_not_a_real_key_0000');
    await page.click('button[type=submit]');
    await page.waitForSelector('#login-error:not(:empty)');
    expect(await page.isHidden('#board')).toBe(true);
  });
});

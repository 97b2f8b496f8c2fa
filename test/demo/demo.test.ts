import { runDemo, type DemoSummary } from '../../demo/demo';
import { startWorkers } from '../../src/workers';
import { setupDatabase } from '../../src/shared/db/setup-database';
import { createLogger } from '../../src/shared/logger';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';

/**
 * The demo's agents claim the best waiting ticket of any source, as agents do, so they would take
 * (and hand back) other test files' tickets: the demo runs in a database of its own.
 */
async function startDemoApp(env: Record<string, string> = {}): Promise<TestApp> {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/handoff_test');
  url.pathname = `${url.pathname}_demo`;
  await setupDatabase(url.toString(), createLogger('silent'));
  return startApp({ DATABASE_URL: url.toString(), ...env });
}

describe('npm run demo', () => {
  let app: TestApp;
  let workers: { close(): Promise<void> };
  let summary: DemoSummary;
  const lines: string[] = [];

  beforeAll(async () => {
    app = await startDemoApp();
    workers = await startWorkers(app.deps);
    summary = await runDemo({ url: app.url, adminKey: ADMIN_KEY, tickets: 12, speed: 4, maxSeconds: 90, seed: 3, progress: false, log: (l) => lines.push(l) });
  }, 120_000);

  afterAll(async () => {
    await workers?.close();
    await app?.close();
  });

  it('when a small day is replayed, then every ticket is routed and accounted for in the summary', () => {
    expect(summary.timedOut).toBe(false);
    expect(summary.tickets).toBe(12);
    const cells = Object.entries(summary.byRouteAndStatus).flatMap(([route, byStatus]) => Object.entries(byStatus).map(([status, n]) => ({ route, status, n })));
    expect(cells.reduce((a, c) => a + c.n, 0)).toBe(12);
    for (const c of cells) {
      expect(c.route).toMatch(/^(ai|human) → (ai|human)$/);
      expect(c.status).not.toBe('ai_queued');
    }
    expect(summary.reasons.ROUTINE ?? 0).toBeGreaterThan(0);
  });

  it('when callbacks to loopback are allowed, then AI answers with their disclosure and agent replies reach the helpdesk', () => {
    expect(summary.callbacksEnabled).toBe(true);
    expect(lines.join('\n')).not.toContain('CALLBACK_ALLOWED_HOSTS');
    expect(summary.delivered.aiAnswers).toBeGreaterThanOrEqual(1);
    expect(summary.delivered.aiWithDisclosure).toBe(summary.delivered.aiAnswers);
    expect(summary.agentReplies).toBeGreaterThanOrEqual(1);
    expect(summary.delivered.agentReplies).toBe(summary.agentReplies);
    expect(summary.resolved).toBeGreaterThanOrEqual(1);
  });

  it('when the day is over, then the supervisor stats and the dashboard URL are in the summary', () => {
    expect(summary.sla.groups.map((g: { key: string }) => g.key).sort()).toEqual(expect.arrayContaining(['ai']));
    expect(Array.isArray(summary.fairness.groups)).toBe(true);
    expect(summary.dashboardUrl).toBe(`${app.url}/dashboard`);
    expect(summary.supervisorKey).toMatch(/^hk_/);
  });
});

describe('npm run demo against a Handoff that refuses loopback callbacks', () => {
  let app: TestApp;
  let workers: { close(): Promise<void> };

  beforeAll(async () => {
    app = await startDemoApp({ CALLBACK_ALLOWED_HOSTS: '' });
    workers = await startWorkers(app.deps);
  }, 60_000);

  afterAll(async () => {
    await workers?.close();
    await app?.close();
  });

  it('when the callback URL is refused, then the demo posts without it, prints the hint and still accounts for every ticket', async () => {
    const lines: string[] = [];
    const summary = await runDemo({ url: app.url, adminKey: ADMIN_KEY, tickets: 4, speed: 4, maxSeconds: 60, seed: 5, progress: false, log: (l) => lines.push(l) });
    expect(summary.callbacksEnabled).toBe(false);
    expect(lines.join('\n')).toContain('CALLBACK_ALLOWED_HOSTS=127.0.0.1');
    expect(summary.tickets).toBe(4);
    expect(Object.values(summary.byRouteAndStatus).flatMap((byStatus) => Object.values(byStatus)).reduce((a, b) => a + b, 0)).toBe(4);
    expect(summary.delivered.aiAnswers + summary.delivered.agentReplies).toBe(0);
  }, 90_000);
});

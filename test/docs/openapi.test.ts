import type { Express } from 'express';
import { chromium } from 'playwright-core';
import { buildApp } from '../../src/app';
import { OPERATIONS } from '../../src/modules/docs';
import { CONTRACT_TICKET_EXAMPLE } from '../../src/modules/docs/operations';
import { apiClient } from '../support/api-client';
import { ADMIN_KEY, startApp, type TestApp } from '../support/start-app';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[]; name?: string; router?: unknown };
  rawPath?: string;
  slash?: boolean;
}

/**
 * What the Express app really serves: route layers (also inside routers mounted without a path)
 * as "METHOD /path", and sub-apps or static directories mounted at a path as that path.
 */
function servedByApp(app: Express): { routes: Set<string>; mounts: Set<string> } {
  const routes = new Set<string>();
  const mounts = new Set<string>();
  const walk = (layers: Layer[]) => {
    for (const layer of layers) {
      if (layer.route) {
        const path = layer.route.path.replace(/:(\w+)/g, '{$1}');
        for (const method of Object.keys(layer.route.methods)) routes.add(`${method.toUpperCase()} ${path}`);
      } else if (layer.slash && layer.handle.stack) {
        walk(layer.handle.stack);
      } else if (!layer.slash && typeof layer.rawPath === 'string' && (layer.handle.stack || 'router' in layer.handle || layer.handle.name === 'serveStatic')) {
        mounts.add(layer.rawPath);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return { routes, mounts };
}

describe('GET /openapi.json and GET /docs', () => {
  let app: TestApp;
  let doc: any;

  beforeAll(async () => {
    // Metrics on, so /metrics is among the served routes the document must list.
    app = await startApp({ METRICS_ENABLED: 'true' });
    const res = await apiClient(app.url).get('/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body;
  });
  afterAll(async () => {
    await app.close();
  });

  it('when fetched without a key, then it is an OpenAPI 3.1 document with bearer security and a Problem schema', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.Problem.required).toEqual(['type', 'title', 'status']);
    expect(doc.paths['/v1/tickets'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['source', 'externalId', 'body', 'customer']),
    );
  });

  it('when the Express app is walked, then every route it serves is documented and every documented operation is served', () => {
    const served = servedByApp(buildApp(app.deps));
    const documented = new Set<string>();
    const documentedMounts = new Set<string>();
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const method of Object.keys(item)) {
        const op = OPERATIONS.find((o) => o.path === path && o.method === method)!;
        (op.mount ? documentedMounts : documented).add(op.mount ? path : `${method.toUpperCase()} ${path}`);
      }
    }
    expect([...served.routes].sort()).toEqual([...documented].sort());
    expect([...served.mounts].sort()).toEqual([...documentedMounts].sort());
    // A sanity floor, so an empty walk cannot pass.
    expect(served.routes.size).toBeGreaterThan(40);
  });

  it('when an operation takes a body, then it has an example that the zod schema behind it accepts', () => {
    let checked = 0;
    for (const op of OPERATIONS) {
      if (!op.body || !('schema' in op.body)) continue;
      const served = doc.paths[op.path][op.method].requestBody.content['application/json'];
      expect(served.example).toEqual(op.body.example);
      const parsed = op.body.schema.safeParse(served.example);
      expect({ op: `${op.method} ${op.path}`, issues: parsed.success ? [] : parsed.error.issues }).toEqual({ op: `${op.method} ${op.path}`, issues: [] });
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(13);
  });

  it('when the POST /v1/tickets example (the contract\'s) is sent with an admin key, then a ticket is accepted', async () => {
    const example = doc.paths['/v1/tickets'].post.requestBody.content['application/json'].example;
    expect(example).toEqual(CONTRACT_TICKET_EXAMPLE);
    const res = await apiClient(app.url, ADMIN_KEY).post('/v1/tickets', example);
    // 202 the first time in a database, 200 (idempotent redelivery) on later runs.
    expect([200, 202]).toContain(res.status);
    expect(res.body).toMatchObject({ id: expect.any(String), route: expect.stringMatching(/^(ai|human)$/) });
  });

  it('when an operation has query parameters, then they come from its zod schema', () => {
    const params = doc.paths['/v1/stats/sla'].get.parameters.map((p: any) => p.name);
    expect(params.sort()).toEqual(['from', 'groupBy', 'to']);
    const groupBy = doc.paths['/v1/stats/sla'].get.parameters.find((p: any) => p.name === 'groupBy');
    expect(groupBy.schema.enum).toEqual(['priority', 'route', 'channel', 'source', 'agent']);
  });

  it('when /docs is opened, then it answers HTML that loads Swagger UI from this server only', async () => {
    const client = apiClient(app.url);
    const page = await client.get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).not.toMatch(/https?:\/\//);
    for (const asset of ['/docs/init.js', '/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui.css']) {
      expect((await client.get(asset)).status).toBe(200);
    }
    expect((await client.get('/docs/assets/nope.js')).status).toBe(404);
  });

  it('when /docs is loaded in a real browser under the CSP, then it renders the operations', async () => {
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const cspErrors: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
      });
      await page.goto(`${app.url}/docs`);
      await page.waitForSelector('.opblock-summary-path', { timeout: 20_000 });
      const paths = await page.$$eval('.opblock-summary-path', (els) => els.map((e) => e.getAttribute('data-path')));
      expect(paths).toContain('/v1/tickets');
      expect(cspErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

/**
 * Intake throughput and latency next to a bare Express handler that parses and validates the same
 * body, both in this process and measured back to back, so the ratio is the figure.
 *   npm run bench                  full run (about a minute)
 *   BENCH_SECONDS=3 npm run bench  smoke run
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/shared/config';
import { createLogger } from '../src/shared/logger';
import { createDeps } from '../src/shared/runtime';
import { setupDatabase } from '../src/shared/db/setup-database';
import { seedDatabase } from '../src/shared/db/seed';
import { newTicketSchema } from '../src/modules/intake/intake.schema';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const ADMIN = 'hk_admin_bench_key_0123456789abcdef';

const BODIES = [
  'Hi, I ordered a standing lamp (order A-1001) ten days ago and the tracking page still says "label created". Could you tell me when it will ship and whether I can change the delivery address to my office? Thanks a lot, and have a nice day.',
  'Hola, quería saber cuánto tarda en llegar un pedido a Canarias y si hay gastos de envío adicionales. También me gustaría saber si puedo pagar con PayPal. Muchas gracias por vuestra ayuda.',
  "Bonjour, je n'arrive pas à télécharger ma facture du mois d'octobre depuis mon espace client. Le bouton ne fait rien. Pouvez-vous me l'envoyer ou m'expliquer comment faire ? Merci.",
  'Hallo, ich möchte mein Abonnement vom Monatsplan auf den Jahresplan umstellen. Wie funktioniert das und wird der Restbetrag angerechnet? Vielen Dank im Voraus.',
  'I want to talk to a real person. This is the third time I write about the refund for order A-2231 and nobody has answered. I am really frustrated and considering a chargeback with my bank.',
];
function ticketBody(i: number): string {
  const text = BODIES[i % BODIES.length];
  return JSON.stringify({
    source: 'bench',
    externalId: randomUUID(),
    channel: 'email',
    subject: 'Question about my order',
    body: (text + ' ').repeat(Math.ceil(600 / text.length) + (i % 3)).trim(),
    customer: { externalId: `cust-${i % 5000}`, email: 'bench@example.com', name: 'Bench Customer', locale: 'en', tier: 'standard' },
    metadata: { orderId: 'A-1001' },
  });
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, headers: Record<string, string>): Promise<Result> {
  let i = 0;
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, setupRequest: (req) => ({ ...req, body: ticketBody(i++) }) }],
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

function listen(app: express.Express): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

export async function benchIntake(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/handoff_bench';
  const logger = createLogger('silent');
  await setupDatabase(databaseUrl, logger);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    ADMIN_API_KEY: ADMIN,
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    QUEUE_PREFIX: `bench-${randomUUID()}`,
    RATE_LIMIT_PER_MINUTE: '100000000',
    LOG_LEVEL: 'silent',
  });
  const deps = createDeps(config, logger);
  await seedDatabase(deps.db, logger);

  const bare = express();
  bare.post('/v1/tickets', express.json({ limit: 64 * 1024 }), (req, res) => {
    const parsed = newTicketSchema.safeParse(req.body);
    res.status(parsed.success ? 202 : 400).json(parsed.success ? { id: randomUUID() } : { error: true });
  });
  const bareServer = await listen(bare);
  const handoffServer = await listen(buildApp(deps));

  // Warm both (JIT, pools) before measuring.
  await load(`${bareServer.url}/v1/tickets`, {}).catch(() => undefined);
  const baseline = await load(`${bareServer.url}/v1/tickets`, {});
  const handoff = await load(`${handoffServer.url}/v1/tickets`, { authorization: `Bearer ${ADMIN}` });

  console.log(`\nIntake, ${CONNECTIONS} connections, ${SECONDS} s each, one process`);
  console.table({
    'bare express + zod': { 'req/s': Math.round(baseline.rps), 'p50 ms': baseline.p50, 'p99 ms': baseline.p99, errors: baseline.errors + baseline.non2xx },
    'handoff POST /v1/tickets': { 'req/s': Math.round(handoff.rps), 'p50 ms': handoff.p50, 'p99 ms': handoff.p99, errors: handoff.errors + handoff.non2xx },
  });
  console.log(`ratio handoff / bare: ${(handoff.rps / baseline.rps).toFixed(2)}`);

  await bareServer.close();
  await handoffServer.close();
  await deps.queues.aiAnswer.obliterate({ force: true }).catch(() => undefined);
  await deps.close();
}

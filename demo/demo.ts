/**
 * `npm run demo`: replays a realistic mixed support day against a running Handoff, over HTTP only,
 * so a newcomer sees routing, AI answers, agents and the stats the way a helpdesk would.
 * Usage: HANDOFF_URL=http://127.0.0.1:3000 HANDOFF_ADMIN_KEY=... npm run demo -- --tickets 120 --speed 1
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SingleBar } from 'cli-progress';
import { client, expectStatus, type Client } from './http';
import { startHelpdesk, type Delivered } from './helpdesk-server';
import { AGENT_REPLIES, DISSATISFIED_FOLLOW_UPS, FIRST_NAMES, MESSAGES, type DemoMessage } from './messages';
import { printSummary } from './summary';

export interface DemoOptions {
  url: string;
  adminKey: string;
  tickets: number;
  /** Multiplies the pace of the day: 2 replays it twice as fast. */
  speed: number;
  /** Hard bound on the whole replay, whatever is still open then. */
  maxSeconds: number;
  seed: number;
  progress: boolean;
  log: (line: string) => void;
}

export interface DemoSummary {
  runId: string;
  tickets: number;
  byRouteAndStatus: Record<string, Record<string, number>>;
  reasons: Record<string, number>;
  followUps: number;
  callbacksEnabled: boolean;
  delivered: { aiAnswers: number; agentReplies: number; aiWithDisclosure: number };
  aiAnswersWritten: number;
  agentReplies: number;
  /** Tickets an earlier demo run left waiting that this run's agents took and answered. */
  earlierDemoTickets: number;
  resolved: number;
  /** Tickets still waiting for a person at the end, by language (none of the demo agents could take them). */
  stillWaiting: Record<string, number>;
  timedOut: boolean;
  sla: any;
  fairness: any;
  dashboardUrl: string;
  supervisorKey: string;
}

const SETTLED = new Set(['ai_answered', 'resolved']);
const SOURCE = 'demo';

const ALL_SKILLS = ['billing', 'technical', 'account_security', 'complaints', 'sensitive_care', 'legal', 'privacy'];
/** Every skill is covered in en/es/fr/de/pt, so only languages nobody speaks (it, ja) are left waiting. */
const AGENTS = [
  { name: 'Ana García', skills: ALL_SKILLS.filter((s) => s !== 'sensitive_care'), languages: ['es', 'en'] },
  { name: 'Camille Martin', skills: ALL_SKILLS.filter((s) => s !== 'sensitive_care'), languages: ['fr', 'en'] },
  { name: 'Jonas Weber', skills: ALL_SKILLS.filter((s) => s !== 'sensitive_care'), languages: ['de', 'en'] },
  { name: 'João Silva', skills: ALL_SKILLS, languages: ['pt', 'es'] },
  { name: 'Sam Taylor', skills: ALL_SKILLS, languages: ['en', 'fr', 'de'] },
];

/** A small seeded generator, so a given --seed replays the same day. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Tracked {
  id: string;
  lang: string;
  status: string;
  initialRoute: string;
  wantsFollowUp: boolean;
  followedUp: boolean;
}

interface SimAgent {
  id: string;
  name: string;
  api: Client;
  /** ticket id → demo time when the agent will reply, then resolve. */
  held: Map<string, { replyAt: number; replied: boolean; lang: string }>;
  /** Set when the agent claimed a helpdesk's real ticket: it hands it back and claims no more. */
  stopped: boolean;
}

/** Runs one replay and returns the figures the summary shows; never leaves agents online. */
export async function runDemo(opts: DemoOptions): Promise<DemoSummary> {
  const random = rng(opts.seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const runId = `${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${randomBytes(3).toString('hex')}`;
  const startedAt = new Date(Date.now() - 1000);
  const tick = (ms: number) => Math.max(20, ms / opts.speed);
  const deadline = Date.now() + opts.maxSeconds * 1000;

  const admin = client(opts.url, opts.adminKey);
  const ready = await fetch(`${opts.url}/readyz`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
  if (!ready) throw new Error(`Handoff does not answer at ${opts.url}. Start it with \`npm start\` (or set HANDOFF_URL).`);
  if (ready.status !== 200) throw new Error(`Handoff at ${opts.url} is not ready (GET /readyz → ${ready.status}); are Postgres and Redis up?`);

  const newKey = async (role: string, extra: Record<string, string>) =>
    expectStatus(await admin.post('/v1/api-keys', { name: `demo-${runId}-${role}`, role, ...extra }), 201, `Creating the ${role} key (is HANDOFF_ADMIN_KEY an admin key?)`).key as string;
  const webhook = client(opts.url, await newKey('webhook', { source: SOURCE }));
  const supervisorKey = await newKey('supervisor', {});
  const supervisor = client(opts.url, supervisorKey);

  const agents: SimAgent[] = [];
  for (const [i, a] of AGENTS.entries()) {
    const created = expectStatus(
      await admin.post('/v1/agents', { ...a, email: `agent${i + 1}.${runId}@demo.example.com`, capacity: 3 }),
      201,
      'Creating an agent',
    );
    const api = client(opts.url, await newKey('agent', { agentId: created.id }));
    expectStatus(await api.patch(`/v1/agents/${created.id}`, { status: 'available' }), 200, 'Setting an agent available');
    agents.push({ id: created.id, name: a.name, api, held: new Map(), stopped: false });
  }

  const tracked = new Map<string, Tracked>();
  const followUpQueue: { id: string; at: number }[] = [];
  const scheduleFollowUp = (t: Tracked) => {
    if (t.wantsFollowUp && !t.followedUp && !followUpQueue.some((f) => f.id === t.id)) followUpQueue.push({ id: t.id, at: Date.now() + tick(1500) });
  };
  const helpdesk = await startHelpdesk((d: Delivered) => {
    const t = tracked.get(d.ticketId);
    if (t && d.author === 'ai') scheduleFollowUp(t);
  });

  let callbacksEnabled = true;
  let followUps = 0;
  let agentReplies = 0;
  let earlierDemoTickets = 0;
  const bar = opts.progress
    ? new SingleBar({
        format: ' day {bar} {value}/{total} settled | sent {sent} | AI {ai} | with agents {agents} | waiting {waiting}',
        barsize: 30,
        hideCursor: true,
        noTTYOutput: !process.stderr.isTTY,
        notTTYSchedule: 3000,
      })
    : undefined;
  const counts = () => {
    const all = [...tracked.values()];
    return {
      settled: all.filter((t) => SETTLED.has(t.status) && (!t.wantsFollowUp || t.followedUp || t.status === 'resolved')).length,
      sent: all.length,
      ai: all.filter((t) => t.status === 'ai_answered').length,
      agents: all.filter((t) => t.status === 'assigned').length,
      waiting: all.filter((t) => t.status === 'human_queued' || t.status === 'ai_queued').length,
    };
  };
  const render = () => {
    const c = counts();
    bar?.update(c.settled, { sent: c.sent, ai: c.ai, agents: c.agents, waiting: c.waiting });
  };
  bar?.start(opts.tickets, 0, { sent: 0, ai: 0, agents: 0, waiting: 0 });

  // Customers: most write once, some come back with a second ticket (a repeat contact).
  const customers: { externalId: string; name: string; email: string; tier: string; lang?: string }[] = [];
  const customerFor = (lang: string) => {
    const returning = customers.filter((c) => c.lang === lang);
    if (returning.length > 0 && random() < 0.15) return pick(returning);
    const n = customers.length + 1;
    const name = pick(FIRST_NAMES);
    const r = random();
    const c = { externalId: `demo-${runId}-c${n}`, name, email: `${name.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}.${n}@example.com`, tier: r < 0.7 ? 'standard' : r < 0.9 ? 'premium' : 'vip', lang };
    customers.push(c);
    return c;
  };
  // Routine questions are most of a day; the hard cases are the rest.
  const weighted: DemoMessage[] = MESSAGES.flatMap((m) => (m.kind === 'routine' ? [m, m, m] : [m]));

  const submit = async (n: number) => {
    const m = pick(weighted);
    const c = customerFor(m.lang);
    const body: Record<string, unknown> = {
      source: SOURCE,
      externalId: `demo-${runId}-t${n}`,
      channel: m.channel,
      subject: m.subject,
      body: m.body,
      customer: { externalId: c.externalId, name: c.name, email: c.email, locale: m.lang, tier: c.tier },
      metadata: { demoRun: runId, kind: m.kind },
    };
    let res = await webhook.post('/v1/tickets', callbacksEnabled ? { ...body, callbackUrl: helpdesk.url } : body);
    if (res.status === 400 && callbacksEnabled && JSON.stringify(res.body?.errors ?? []).includes('callbackUrl')) {
      callbacksEnabled = false;
      bar?.stop();
      opts.log(
        `\nHandoff refuses callbacks to loopback, so answers are read back with GET instead of delivered.\n` +
          `To see deliveries too, start Handoff with CALLBACK_ALLOWED_HOSTS=127.0.0.1.\n`,
      );
      bar?.start(opts.tickets, 0, { sent: 0, ai: 0, agents: 0, waiting: 0 });
      res = await webhook.post('/v1/tickets', body);
    }
    const t = expectStatus(res, 202, 'Posting a ticket');
    tracked.set(t.id, {
      id: t.id,
      lang: m.lang,
      status: t.status,
      initialRoute: t.route,
      wantsFollowUp: Boolean(DISSATISFIED_FOLLOW_UPS[m.lang]) && random() < 0.15,
      followedUp: false,
    });
  };

  const refresh = async (ids: string[]) => {
    for (let i = 0; i < ids.length; i += 8) {
      await Promise.all(
        ids.slice(i, i + 8).map(async (id) => {
          const res = await webhook.get(`/v1/tickets/${id}`);
          const t = tracked.get(id)!;
          if (res.status !== 200) return;
          t.status = res.body.status;
          // Without callbacks the customer notices the answer by polling.
          if (!callbacksEnabled && t.status === 'ai_answered') scheduleFollowUp(t);
        }),
      );
    }
  };

  const workAgent = async (a: SimAgent) => {
    const now = Date.now();
    for (const [ticketId, h] of a.held) {
      if (now < h.replyAt) continue;
      if (!h.replied) {
        const res = await a.api.post(`/v1/tickets/${ticketId}/replies`, { body: AGENT_REPLIES[h.lang] ?? AGENT_REPLIES.en });
        if (res.status === 201 && tracked.has(ticketId)) agentReplies++;
        h.replied = true;
        h.replyAt = now + tick(600);
        if (res.status !== 201) a.held.delete(ticketId);
      } else {
        const res = await a.api.post(`/v1/tickets/${ticketId}/resolve`);
        a.held.delete(ticketId);
        const t = tracked.get(ticketId);
        if (t && res.status === 200) t.status = 'resolved';
      }
    }
    if (a.held.size < 3 && !a.stopped) {
      const res = await a.api.post(`/v1/agents/${a.id}/claim`);
      if (res.status === 200 && res.body?.ticket) {
        const t = res.body.ticket;
        // Claims take the best waiting ticket of any source: simulated agents must never answer a real customer.
        if (t.source !== SOURCE) {
          await a.api.post(`/v1/tickets/${t.id}/release`, { reason: 'Claimed by a simulated demo agent; handed back untouched.' });
          a.stopped = true;
          opts.log(`\n${a.name} claimed a ticket from source "${t.source}" and handed it back untouched; this agent stops claiming. Run the demo against a development instance.`);
          return false;
        }
        // A ticket left waiting by an earlier demo run is worked like any other.
        if (!tracked.has(t.id)) earlierDemoTickets++;
        a.held.set(t.id, { replyAt: now + tick(800 + random() * 2400), replied: false, lang: t.language ?? 'en' });
        const tr = tracked.get(t.id);
        if (tr) tr.status = 'assigned';
        return true;
      }
    }
    return false;
  };

  const sendFollowUps = async () => {
    const now = Date.now();
    for (const f of followUpQueue.filter((x) => x.at <= now)) {
      followUpQueue.splice(followUpQueue.indexOf(f), 1);
      const t = tracked.get(f.id)!;
      const res = await webhook.post(`/v1/tickets/${t.id}/messages`, { body: DISSATISFIED_FOLLOW_UPS[t.lang] });
      t.followedUp = true;
      if (res.status === 200) {
        followUps++;
        t.status = res.body.status;
      }
    }
  };

  // The day: tickets arrive at an uneven pace while agents work and customers react.
  let sent = 0;
  let nextArrival = Date.now();
  let idleRounds = 0;
  let lastRefresh = 0;
  let timedOut = false;
  try {
    while (true) {
      if (Date.now() > deadline) {
        timedOut = true;
        break;
      }
      while (sent < opts.tickets && Date.now() >= nextArrival) {
        await submit(++sent);
        nextArrival = Date.now() + tick(150 + random() * 450);
      }
      const claimed = await Promise.all(agents.map(workAgent));
      await sendFollowUps();
      if (Date.now() - lastRefresh > tick(700)) {
        lastRefresh = Date.now();
        await refresh([...tracked.values()].filter((t) => !SETTLED.has(t.status) || (t.wantsFollowUp && !t.followedUp)).map((t) => t.id));
      }
      render();
      if (sent === opts.tickets) {
        const open = [...tracked.values()];
        const busy =
          followUpQueue.length > 0 ||
          agents.some((a) => a.held.size > 0) ||
          claimed.some(Boolean) ||
          open.some((t) => t.status === 'ai_queued' || t.status === 'assigned' || (t.status === 'ai_answered' && t.wantsFollowUp && !t.followedUp));
        // Only tickets no demo agent may take (e.g. a language nobody speaks) are left: the day is over.
        idleRounds = busy ? 0 : idleRounds + 1;
        if (idleRounds >= 3) break;
      }
      await sleep(tick(200));
    }
  } finally {
    bar?.stop();
    // Offline agents return what they still hold, so nothing stays with a simulated agent.
    await Promise.all(agents.map((a) => a.api.patch(`/v1/agents/${a.id}`, { status: 'offline' }).catch(() => undefined)));
  }

  // Give the last deliveries a moment to reach the helpdesk before counting them.
  await sleep(callbacksEnabled ? 1500 : 0);
  await helpdesk.close();

  const finals: any[] = [];
  const ids = [...tracked.keys()];
  for (let i = 0; i < ids.length; i += 8) {
    finals.push(...(await Promise.all(ids.slice(i, i + 8).map(async (id) => (await webhook.get(`/v1/tickets/${id}`)).body))));
  }
  const byRouteAndStatus: Record<string, Record<string, number>> = {};
  const reasons: Record<string, number> = {};
  let aiAnswersWritten = 0;
  let resolved = 0;
  const stillWaiting: Record<string, number> = {};
  for (const t of finals) {
    if (t.status === 'human_queued') stillWaiting[t.language] = (stillWaiting[t.language] ?? 0) + 1;
    const row = `${tracked.get(t.id)!.initialRoute} → ${t.route}`;
    byRouteAndStatus[row] ??= {};
    byRouteAndStatus[row]![t.status] = (byRouteAndStatus[row]![t.status] ?? 0) + 1;
    const codes = new Set<string>((t.decisions ?? []).flatMap((d: any) => (d.reasons ?? []).map((r: any) => r.code)));
    for (const code of codes) reasons[code] = (reasons[code] ?? 0) + 1;
    aiAnswersWritten += (t.messages ?? []).filter((m: any) => m.author === 'ai' && !m.internal).length;
    if (t.status === 'resolved') resolved++;
  }
  const window = `from=${encodeURIComponent(startedAt.toISOString())}`;
  const sla = expectStatus(await supervisor.get(`/v1/stats/sla?groupBy=route&${window}`), 200, 'Reading SLA stats');
  const fairness = expectStatus(await supervisor.get(`/v1/stats/fairness?attribute=locale&${window}`), 200, 'Reading fairness stats');
  const d = helpdesk.delivered;
  return {
    runId,
    tickets: finals.length,
    byRouteAndStatus,
    reasons,
    followUps,
    callbacksEnabled,
    delivered: {
      aiAnswers: d.filter((x) => x.author === 'ai').length,
      agentReplies: d.filter((x) => x.author === 'agent').length,
      aiWithDisclosure: d.filter((x) => x.author === 'ai' && x.hasDisclosure).length,
    },
    aiAnswersWritten,
    agentReplies,
    earlierDemoTickets,
    resolved,
    stillWaiting,
    timedOut,
    sla,
    fairness,
    dashboardUrl: `${opts.url}/dashboard`,
    supervisorKey,
  };
}

/** The admin key: the flag or env var, else the one `npm start` generated in development. */
function defaultAdminKey(): string | undefined {
  if (process.env.HANDOFF_ADMIN_KEY) return process.env.HANDOFF_ADMIN_KEY;
  const file = path.resolve(process.env.DATA_DIR ?? '.handoff', 'dev-secrets.json');
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')).adminApiKey;
}

function parseArgs(argv: string[]): DemoOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i]!.replace(/^--/, '').split('=', 2) as [string, string | undefined];
    if (name === 'help' || name === 'h') flags.set('help', '1');
    else flags.set(name, inline ?? argv[++i] ?? '');
  }
  if (flags.has('help')) {
    console.log('Usage: npm run demo -- [--tickets 120] [--speed 1] [--max-seconds 300] [--seed 42] [--url URL] [--admin-key KEY]');
    process.exit(0);
  }
  const num = (name: string, fallback: number, min: number, max: number) => {
    const v = flags.has(name) ? Number(flags.get(name)) : fallback;
    if (!Number.isFinite(v) || v < min || v > max) throw new Error(`--${name} must be a number from ${min} to ${max}.`);
    return v;
  };
  const url = (flags.get('url') ?? process.env.HANDOFF_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  const adminKey = flags.get('admin-key') ?? defaultAdminKey();
  if (!adminKey) throw new Error('No admin key: set HANDOFF_ADMIN_KEY, or run `npm start` once in development so .handoff/dev-secrets.json exists.');
  return {
    url,
    adminKey,
    tickets: Math.round(num('tickets', 120, 1, 5000)),
    speed: num('speed', 1, 0.1, 100),
    maxSeconds: num('max-seconds', 300, 5, 3600),
    seed: Math.round(num('seed', Date.now() % 1e9, 0, 2 ** 32)),
    progress: true,
    log: (line) => console.log(line),
  };
}

if (require.main === module) {
  (async () => {
    const opts = parseArgs(process.argv.slice(2));
    console.log(`Replaying a support day of ${opts.tickets} tickets against ${opts.url} (speed ${opts.speed}, seed ${opts.seed})…`);
    printSummary(await runDemo(opts));
  })().catch((err: Error) => {
    console.error(`demo: ${err.message}`);
    process.exit(1);
  });
}

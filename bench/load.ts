/**
 * The load generator of the intake and memory benchmarks, in its own process so that its work is
 * not counted as the server's. startLoadGenerator() forks it once; each prepare() and run() is one
 * message each way.
 */
import http from 'node:http';
import { forkGenerator, serveGenerator } from './forked-generator';
import autocannon from 'autocannon';
import { TicketTexts, ticketBody } from './intake-tickets';

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  connections: number;
  /** Run for this long, or until `amount` requests are done. */
  seconds?: number;
  amount?: number;
  /**
   * Fixed arrival rate (requests per second over all connections) instead of as fast as possible:
   * evenly spaced, open loop (see openLoop).
   */
  rate?: number;
  /** Numbers the tickets from here, so successive runs post different customers in the same mix. */
  firstTicket?: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/**
 * A run as fast as the server answers has no known length: its texts are made ahead for this many
 * requests a second, about one and a half times the bare handler's rate on the 2-core bench machine.
 * A faster run makes the rest as it sends them (about 1.5 µs each).
 */
const MOST_PER_SECOND = 15_000;

function requestsAtMost(o: LoadOptions): number {
  return o.amount ?? Math.ceil((o.seconds ?? 10) * (o.rate ?? MOST_PER_SECOND));
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Requests sent at evenly spaced times, whatever the answers do (open loop), on up to `connections`
 * keep-alive connections; each latency counts from the time the request was due, so a stalled server
 * shows as latency instead of fewer requests. autocannon's rate is not that: each connection sends
 * its share of a second back to back when the second starts, so "300/s" over 50 connections was a
 * burst of 300 requests at full concurrency, then silence.
 */
async function openLoop(o: LoadOptions & { rate: number }, texts: TicketTexts): Promise<LoadResult> {
  const url = new URL(o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  const total = o.amount ?? Math.round((o.seconds ?? 10) * o.rate);
  const interval = 1000 / o.rate;
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  let first = o.firstTicket ?? 0;
  const start = performance.now();
  await new Promise<void>((done) => {
    let settled = 0;
    const settle = () => {
      if (++settled === total) done();
    };
    const send = (due: number) => {
      const req = http.request(
        { agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...o.headers } },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if (res.statusCode! < 200 || res.statusCode! >= 300) non2xx++;
            settle();
          });
        },
      );
      req.on('error', () => {
        errors++;
        settle();
      });
      req.end(ticketBody(first++, texts));
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) send(start + sent++ * interval);
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    tick();
  });
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    requests: total - errors,
    rps: (total - errors) / ((performance.now() - start) / 1000),
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    errors,
    non2xx,
  };
}

async function generate(o: LoadOptions, texts: TicketTexts): Promise<LoadResult> {
  if (o.rate) return openLoop({ ...o, rate: o.rate }, texts);
  let i = o.firstTicket ?? 0;
  const r = await autocannon({
    url: o.url,
    connections: o.connections,
    ...(o.amount ? { amount: o.amount } : { duration: o.seconds }),
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json', ...o.headers }, setupRequest: (req) => ({ ...req, body: ticketBody(i++, texts) }) }],
  });
  return {
    requests: r.requests.total,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

type Message = { prepare: LoadOptions } | { run: LoadOptions };

export interface LoadGenerator {
  /** Makes a run's ticket texts, so that a caller timing run() does not time that too. */
  prepare(options: LoadOptions): Promise<void>;
  /** Sends the run's requests; texts not prepared for exactly these options are made first. */
  run(options: LoadOptions): Promise<LoadResult>;
  stop(): void;
  pid: number;
}

export function startLoadGenerator(): LoadGenerator {
  const forked = forkGenerator<Message, LoadResult | null>(__filename, 'load generator');
  return {
    prepare: async (options) => {
      await forked.run({ prepare: options });
    },
    run: async (options) => (await forked.run({ run: options }))!,
    stop: forked.stop,
    pid: forked.pid,
  };
}

const texts = new TicketTexts();
function textsFor(o: LoadOptions): TicketTexts {
  const first = o.firstTicket ?? 0;
  const count = requestsAtMost(o);
  if (texts.first !== first || texts.count !== count) texts.make(first, count);
  return texts;
}

async function serve(message: Message): Promise<LoadResult | null> {
  if ('prepare' in message) {
    textsFor(message.prepare);
    return null;
  }
  return generate(message.run, textsFor(message.run));
}

if (require.main === module) serveGenerator(serve);

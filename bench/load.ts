/**
 * The load generator of the intake and memory benchmarks, in its own process so that its work is
 * not counted as the server's. startLoadGenerator() forks it once; each run() is one message each way.
 */
import { forkGenerator, serveGenerator, type ForkedGenerator } from './forked-generator';
import autocannon from 'autocannon';
import { ticketBody } from './intake-tickets';

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  connections: number;
  /** Run for this long, or until `amount` requests are done. */
  seconds?: number;
  amount?: number;
  /** Fixed arrival rate (requests per second over all connections) instead of as fast as possible. */
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

async function generate(o: LoadOptions): Promise<LoadResult> {
  let i = o.firstTicket ?? 0;
  const r = await autocannon({
    url: o.url,
    connections: o.connections,
    ...(o.amount ? { amount: o.amount } : { duration: o.seconds }),
    ...(o.rate ? { overallRate: o.rate } : {}),
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json', ...o.headers }, setupRequest: (req) => ({ ...req, body: ticketBody(i++) }) }],
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

export type LoadGenerator = ForkedGenerator<LoadOptions, LoadResult>;

export function startLoadGenerator(): LoadGenerator {
  return forkGenerator(__filename, 'load generator');
}

if (require.main === module) serveGenerator(generate);

/**
 * The load generator of the intake and memory benchmarks, in its own process so that its work is
 * not counted as the server's: `tsx bench/load.ts '<json options>'` prints one JSON result line.
 */
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

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2]) as LoadOptions;
  let i = o.firstTicket ?? 0;
  const r = await autocannon({
    url: o.url,
    connections: o.connections,
    ...(o.amount ? { amount: o.amount } : { duration: o.seconds }),
    ...(o.rate ? { overallRate: o.rate } : {}),
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json', ...o.headers }, setupRequest: (req) => ({ ...req, body: ticketBody(i++) }) }],
  });
  const result: LoadResult = {
    requests: r.requests.total,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main();

/**
 * The load generator of the intake and memory benchmarks, in its own process so that its work is
 * not counted as the server's. startLoadGenerator() forks it once; each run() is one message each way.
 */
import { fork } from 'node:child_process';
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

export interface LoadGenerator {
  run(options: LoadOptions): Promise<LoadResult>;
  stop(): void;
}

/** Forks the generator (one start-up for every run of a benchmark); runs go one at a time. */
export function startLoadGenerator(): LoadGenerator {
  const child = fork(__filename, [], { execArgv: ['--import', 'tsx'] });
  return {
    run: (options) =>
      new Promise((resolve, reject) => {
        child.once('message', (result) => resolve(result as LoadResult));
        child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
        child.send(options);
      }).finally(() => child.removeAllListeners('exit')) as Promise<LoadResult>,
    stop: () => child.kill(),
  };
}

if (require.main === module) {
  process.on('message', (options) => {
    void generate(options as LoadOptions).then((result) => process.send!(result));
  });
}

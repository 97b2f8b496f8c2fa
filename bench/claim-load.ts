/**
 * The claims benchmark's HTTP load, in its own process so that the client's work is not counted as the
 * server's (as bench/load.ts does for intake). Each loop claims over a keep-alive connection of its
 * own, as its agents in turn with their own keys, which autocannon's shared request list does not model; the
 * claimed ticket ids come back so the bench can check that no ticket was handed out twice.
 */
import { forkGenerator, serveGenerator, type ForkedGenerator } from './forked-generator';
import http from 'node:http';

export interface ClaimLoadOptions {
  base: string;
  /** One claim loop per entry, each taking turns among its own agents. */
  loops: { agentId: string; key: string }[][];
  seconds: number;
}

export interface ClaimLoadResult {
  ids: string[];
  /** 204s: nothing fitted. */
  empty: number;
  elapsedSeconds: number;
  /** Milliseconds, every response's. */
  p50: number;
  p99: number;
}

async function generate(o: ClaimLoadOptions): Promise<ClaimLoadResult> {
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: o.loops.length });
  const claim = (agentId: string, key: string) =>
    new Promise<string | null>((resolve, reject) => {
      const req = http.request(
        `${o.base}/v1/agents/${agentId}/claim`,
        { method: 'POST', agent: keepAlive, headers: { authorization: `Bearer ${key}`, 'content-length': '0' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 204) resolve(null);
            else if (res.statusCode !== 200) reject(new Error(`claim failed: ${res.statusCode} ${text}`));
            else resolve((JSON.parse(text) as { ticket: { id: string } }).ticket.id);
          });
        },
      );
      req.on('error', reject);
      req.end();
    });

  const result = await claimInLoops(o.loops.length, o.seconds, (loop, turn) => {
    const { agentId, key } = o.loops[loop][turn % o.loops[loop].length];
    return claim(agentId, key);
  });
  keepAlive.destroy();
  return result;
}

/** Runs `loops` claim loops until the deadline; `claim` returns the claimed ticket id, or null for "nothing fits" (a 204). */
export async function claimInLoops(
  loops: number,
  seconds: number,
  claim: (loop: number, turn: number) => Promise<string | null>,
): Promise<ClaimLoadResult> {
  const latencies: number[] = [];
  const ids: string[] = [];
  let empty = 0;
  const start = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: loops }, async (_, loop) => {
      for (let turn = 0; Date.now() < deadline; turn++) {
        const t0 = process.hrtime.bigint();
        const id = await claim(loop, turn);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (id) ids.push(id);
        else empty++;
      }
    }),
  );
  const elapsedSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { ids, empty, elapsedSeconds, p50: at(50), p99: at(99) };
}

export function startClaimLoadGenerator(): ForkedGenerator<ClaimLoadOptions, ClaimLoadResult> {
  return forkGenerator(__filename, 'claim load generator');
}

if (require.main === module) serveGenerator(generate);

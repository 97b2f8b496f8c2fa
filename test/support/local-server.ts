import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  json: any;
}

export type Responder = (req: Received) => { status: number; body?: unknown; delayMs?: number } | Promise<{ status: number; body?: unknown; delayMs?: number }>;

/**
 * A real HTTP server on 127.0.0.1 that stands in for something outside Handoff (a helpdesk
 * callback, an OpenAI-compatible provider): it records every request and answers as scripted.
 */
export async function startLocalServer(initial: Responder = () => ({ status: 200, body: { ok: true } })) {
  const received: Received[] = [];
  let respond = initial;
  // Scripted delays still waiting; close() ends them, or a long one would keep the test process alive.
  const delays = new Map<NodeJS.Timeout, () => void>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        json = undefined;
      }
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw, json };
      received.push(entry);
      const out = await respond(entry);
      if (out.delayMs)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            delays.delete(timer);
            resolve();
          }, out.delayMs);
          delays.set(timer, resolve);
        });
      if (res.destroyed) return;
      res.writeHead(out.status, { 'content-type': 'application/json' });
      res.end(typeof out.body === 'string' ? out.body : JSON.stringify(out.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    setResponder(r: Responder) {
      respond = r;
    },
    async close() {
      for (const [timer, resolve] of delays) {
        clearTimeout(timer);
        resolve();
      }
      delays.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls until `check` returns a truthy value; integration tests wait on real workers this way. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
}

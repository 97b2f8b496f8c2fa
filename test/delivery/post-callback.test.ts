import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postCallback } from '../../src/modules/delivery/post-callback';

// The delivery worker's HTTP client against a real local server.
describe('posting a delivery to a callback', () => {
  let server: http.Server;
  let url: string;
  const received: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
        if (req.url === '/redirect') return void res.writeHead(302, { location: '/elsewhere' }).end();
        if (req.url === '/silent') return; // never answers
        res.writeHead(req.url === '/down' ? 503 : 204).end(req.url === '/down' ? 'unavailable' : undefined);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  test('when the callback answers, then the status comes back and the body and headers arrived as sent', async () => {
    const body = JSON.stringify({ event: 'ticket.message', text: 'olá' });
    expect(await postCallback(`${url}/hooks`, { 'content-type': 'application/json', 'x-handoff-delivery': 'd1' }, body, 5_000)).toBe(204);
    const last = received[received.length - 1];
    expect(last).toMatchObject({ method: 'POST', url: '/hooks', body, headers: { 'content-type': 'application/json', 'x-handoff-delivery': 'd1', 'content-length': String(Buffer.byteLength(body)) } });
    expect(await postCallback(`${url}/down`, {}, '{}', 5_000)).toBe(503);
  });

  test('when the callback redirects, then the redirect is not followed', async () => {
    const before = received.length;
    expect(await postCallback(`${url}/redirect`, {}, '{}', 5_000)).toBe(302);
    expect(received.slice(before).map((r) => r.url)).toEqual(['/redirect']);
  });

  test('when the callback never answers, then the attempt fails as timed out', async () => {
    await expect(postCallback(`${url}/silent`, {}, '{}', 200)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  test('when nothing listens, then the attempt fails with the network error', async () => {
    await expect(postCallback('http://127.0.0.1:9/hooks', {}, '{}', 5_000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

import http from 'node:http';
import https from 'node:https';

// node:http rather than fetch: fetch's WHATWG streams and request objects cost more CPU than the
// rest of a delivery together, and a delivery needs none of what they add.
const agents: Record<string, http.Agent> = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/**
 * POSTs `body` to `url` and resolves with the response status once the response has been read.
 * Redirects are not followed (a 3xx is just a status). Rejects on a network error, or with an error
 * named TimeoutError when the whole exchange took longer than `timeoutMs`.
 */
export function postCallback(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  const signal = AbortSignal.timeout(timeoutMs);
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => reject(signal.aborted ? Object.assign(new Error('callback timed out'), { name: 'TimeoutError' }) : err);
    const req = transport.request(
      target,
      { method: 'POST', agent: agents[target.protocol], headers: { ...headers, 'content-length': Buffer.byteLength(body) }, signal },
      (res) => {
        res.on('error', fail);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.resume();
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

/** The demo speaks to Handoff only over HTTP, like a helpdesk or an agent's tool would. */
export interface Reply {
  status: number;
  body: any;
}

export type Client = {
  get(path: string): Promise<Reply>;
  post(path: string, body?: unknown): Promise<Reply>;
  patch(path: string, body: unknown): Promise<Reply>;
};

/** A JSON client bound to one API key; every request is time-bounded so the demo always ends. */
export function client(baseUrl: string, key: string, timeoutMs = 10_000): Client {
  const call = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const res = await fetch(baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body ?? {}),
    patch: (path, body) => call('PATCH', path, body),
  };
}

/** Throws with the problem detail when a setup call does not return what the demo needs. */
export function expectStatus(res: Reply, expected: number, what: string): any {
  if (res.status !== expected) {
    const detail = res.body && typeof res.body === 'object' ? (res.body.detail ?? res.body.title ?? JSON.stringify(res.body)) : String(res.body);
    throw new Error(`${what} failed: HTTP ${res.status} ${detail}`);
  }
  return res.body;
}

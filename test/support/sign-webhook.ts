import { signWebhook } from '../../src/modules/sources';
import type { ApiClient } from './api-client';

/** Posts a JSON body signed the way a helpdesk would, over exactly the bytes sent. */
export function signedPost(client: ApiClient, path: string, body: unknown, secret: string, nowSeconds?: number) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return client.post(path, raw, { 'content-type': 'application/json', 'x-handoff-signature': signWebhook(secret, raw, nowSeconds) });
}

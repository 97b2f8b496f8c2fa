import { signWebhook } from '../../src/modules/sources/webhook-signature';
import type { ApiClient } from './api-client';

/** Posts JSON signed the way a helpdesk with a signing secret must (X-Handoff-Signature). */
export function signedPost(client: ApiClient, path: string, body: unknown, secret: string) {
  const raw = JSON.stringify(body);
  return client.post(path, raw, { 'content-type': 'application/json', 'x-handoff-signature': signWebhook(secret, raw) });
}

import { randomUUID } from 'node:crypto';
import type { ApiClient } from './api-client';

/** A valid intake body with unique ids; override any field. */
export function buildTicket(overrides: Record<string, any> = {}) {
  const { customer, ...rest } = overrides;
  return {
    source: 'zendesk',
    externalId: randomUUID(),
    channel: 'email',
    subject: 'Where is my order?',
    body: 'Hi, I ordered a lamp last week. Could you tell me when it will arrive? Thanks!',
    customer: { externalId: `cust-${randomUUID()}`, email: 'ana@example.com', name: 'Ana Ruiz', locale: 'en', tier: 'standard', ...customer },
    ...rest,
  };
}

/** Creates an API key through the admin API and returns the secret. */
export async function createKey(admin: ApiClient, body: Record<string, unknown>): Promise<string> {
  const res = await admin.post('/v1/api-keys', { name: `key-${randomUUID()}`, ...body });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${res.text}`);
  return res.body.key;
}

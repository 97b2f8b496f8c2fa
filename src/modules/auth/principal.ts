export const ROLES = ['admin', 'webhook', 'agent', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved from the API key on every request. */
export interface Principal {
  /** The api_keys row id, or 'env-admin' for ADMIN_API_KEY. */
  keyId: string;
  role: Role;
  agentId?: string;
  source?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

import { forbidden } from '../../shared/errors/app-error';
import type { Principal } from '../auth/principal';

/** An agent key acts only as its own agent; admins (and, where allowed, supervisors) act for any. */
export function assertActsFor(principal: Principal, agentId: string, alsoAllowed: Principal['role'][] = []): void {
  if (principal.role === 'admin' || alsoAllowed.includes(principal.role)) return;
  if (principal.role === 'agent' && principal.agentId === agentId) return;
  throw forbidden(principal.role === 'agent' ? 'An agent key acts only as its own agent.' : 'This key may not act for agents.');
}

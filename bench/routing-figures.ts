/** What the routing evaluations share: the context they judge every message in, and how they print a share. */
import type { RouteContext } from '../src/modules/routing/routing-policy';

/** A standard-tier customer with no opt-out and no recent tickets: only the words decide. */
export const PLAIN_CUSTOMER: RouteContext = { aiOptOut: false, tier: 'standard', recentTicketCount: 0 };

export const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}% (${a}/${b})`);

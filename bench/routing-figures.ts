/** What the routing evaluations share: the context they judge every message in, the policy, and how they print a share. */
import { readFileSync } from 'node:fs';
import { policyOf } from '../src/modules/policies/policy-document';
import { DEFAULT_POLICY, type RouteContext, type RoutingPolicy } from '../src/modules/routing/routing-policy';

/** A standard-tier customer with no opt-out and no recent tickets: only the words decide. */
export const PLAIN_CUSTOMER: RouteContext = { aiOptOut: false, tier: 'standard', recentTicketCount: 0 };

export const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}% (${a}/${b})`);

/** `--policy <file>` (what `GET /v1/policies/{version}` answers, saved to a file), or the default policy. */
export function policyFromArgs(argv: string[] = process.argv): RoutingPolicy {
  const at = argv.indexOf('--policy');
  if (at === -1) return DEFAULT_POLICY;
  const { version, policy } = JSON.parse(readFileSync(argv[at + 1], 'utf8')) as { version: string; policy: unknown };
  return policyOf(version, policy);
}

export {
  decideRoute,
  recentCountThatMatters,
  raisePriority,
  DEFAULT_POLICY,
  REASON_CODES,
  PRIORITIES,
  type Priority,
  type Reason,
  type ReasonCode,
  type Route,
  type RouteDecision,
  type RoutingPolicy,
  type Tier,
} from './routing-policy';
export { buildPolicy, requiredSkills } from './route-ticket';

import type { Flag, TicketScore } from '../scoring/types';

export const REASON_CODES = [
  'ROUTINE',
  'HUMAN_REQUESTED',
  'SENSITIVE_TOPIC',
  'NEGATIVE_SENTIMENT',
  'HIGH_COMPLEXITY',
  'AI_OPT_OUT',
  'LANGUAGE_UNSUPPORTED',
  'REPEAT_CONTACT',
  'AI_LOW_CONFIDENCE',
  'AI_FAILED',
  'CUSTOMER_DISSATISFIED',
  'AI_ANSWER_REJECTED',
  'SLA_BREACH',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];
export interface Reason {
  code: ReasonCode;
  detail: string;
}

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export type Route = 'ai' | 'human';
export type Tier = 'standard' | 'premium' | 'vip';

/** Thresholds and lists that decide routes; a new shape or default means a new version. */
export interface RoutingPolicy {
  version: string;
  /** Sentiment at or below this is "very unhappy" and goes to a person. */
  negativeSentimentThreshold: number;
  /** Complexity at or above this goes to a person. */
  highComplexityThreshold: number;
  /** Flags that by themselves send a ticket to a person. */
  humanFlags: Flag[];
  /** Flags that make a ticket urgent / high priority. */
  urgentFlags: Flag[];
  highFlags: Flag[];
  /** Languages the AI provider serves; 'und' (unknown) is always allowed so short texts are not penalised. */
  aiLanguages: string[];
  /**
   * This many earlier tickets from the same customer within repeatContactWindowHours send the next to a
   * person; null (the default) routes on none. The contract's routing rule is about what a ticket says,
   * and a helpdesk whose customers simply write often would see routine questions taken from the AI.
   * The count is stored with every intake decision either way, so a version that turns it on can be
   * simulated on past tickets first.
   */
  repeatContactThreshold: number | null;
  repeatContactWindowHours: number;
}

export const DEFAULT_POLICY: RoutingPolicy = {
  version: 'policy-2026.11.3',
  // A single strong word ("my battery died", "a first offence", "she'll kill me if it's late") reads about -0.72;
  // at -0.7, sentiment alone sent 39 of 1,571 held-out routine questions to people and 6 of 1,669 that need one
  // (docs/routing-card.md). Very unhappy customers almost always raise a flag as well.
  negativeSentimentThreshold: -0.85,
  highComplexityThreshold: 0.7,
  humanFlags: [
    'human_requested',
    'complaint',
    'legal_threat',
    'fraud_or_security',
    'safety',
    'bereavement_or_health',
    'privacy_request',
  ],
  urgentFlags: ['safety', 'legal_threat', 'fraud_or_security'],
  highFlags: ['complaint', 'bereavement_or_health', 'churn_risk', 'billing_dispute', 'human_requested'],
  aiLanguages: ['en', 'es', 'fr', 'de', 'pt'],
  repeatContactThreshold: null,
  repeatContactWindowHours: 72,
};

export interface RouteContext {
  aiOptOut: boolean;
  /** Only ever raises priority; it never changes the route. */
  tier: Tier;
  /** Earlier tickets of this customer inside the policy's repeat window. */
  recentTicketCount: number;
}

export interface RouteDecision {
  route: Route;
  priority: Priority;
  reasons: Reason[];
  policyVersion: string;
}

/** The largest Postgres int4: intake compares counts with it in SQL, where Infinity does not fit. */
const NO_COUNT_MATTERS = 2_147_483_647;

/**
 * The fewest earlier tickets (RouteContext.recentTicketCount) that can change decideRoute's answer: below
 * it, the answer is the one for no earlier tickets, so intake may decide before the count is read.
 */
export function recentCountThatMatters(policy: RoutingPolicy): number {
  return policy.repeatContactThreshold ?? NO_COUNT_MATTERS;
}

/** Decides route, priority and the reasons for both; pure so it can be replayed and benchmarked. */
export function decideRoute(score: TicketScore, ctx: RouteContext, policy: RoutingPolicy = DEFAULT_POLICY): RouteDecision {
  const reasons: Reason[] = [];
  const flags = new Set(score.flags);
  const forcing = score.flags.filter((f) => policy.humanFlags.includes(f));

  if (flags.has('human_requested') && forcing.includes('human_requested')) {
    reasons.push({ code: 'HUMAN_REQUESTED', detail: 'The customer asked to talk to a person.' });
  }
  const sensitive = forcing.filter((f) => f !== 'human_requested');
  if (sensitive.length > 0) {
    reasons.push({ code: 'SENSITIVE_TOPIC', detail: `Sensitive topic: ${sensitive.join(', ')}.` });
  }
  if (ctx.aiOptOut) {
    reasons.push({ code: 'AI_OPT_OUT', detail: 'The customer opted out of AI answers.' });
  }
  if (score.sentiment <= policy.negativeSentimentThreshold) {
    reasons.push({
      code: 'NEGATIVE_SENTIMENT',
      detail: `Sentiment ${score.sentiment.toFixed(2)} is at or below ${policy.negativeSentimentThreshold}.`,
    });
  }
  if (score.complexity >= policy.highComplexityThreshold) {
    reasons.push({
      code: 'HIGH_COMPLEXITY',
      detail: `Complexity ${score.complexity.toFixed(2)} is at or above ${policy.highComplexityThreshold}.`,
    });
  }
  if (score.language !== 'und' && !policy.aiLanguages.includes(score.language)) {
    reasons.push({ code: 'LANGUAGE_UNSUPPORTED', detail: `The AI does not answer in '${score.language}'.` });
  }
  if (policy.repeatContactThreshold !== null && ctx.recentTicketCount >= policy.repeatContactThreshold) {
    reasons.push({
      code: 'REPEAT_CONTACT',
      detail: `${ctx.recentTicketCount} earlier tickets from this customer in ${policy.repeatContactWindowHours} h.`,
    });
  }

  const route: Route = reasons.length > 0 ? 'human' : 'ai';
  if (route === 'ai') {
    const notes = score.flags.length > 0 ? ` Flags noted: ${score.flags.join(', ')}.` : '';
    reasons.push({ code: 'ROUTINE', detail: `Routine question the AI may answer.${notes}` });
  }
  return { route, priority: decidePriority(score, ctx, policy), reasons, policyVersion: policy.version };
}

function decidePriority(score: TicketScore, ctx: RouteContext, policy: RoutingPolicy): Priority {
  let level: number;
  if (score.flags.some((f) => policy.urgentFlags.includes(f))) level = 3;
  else if (score.flags.some((f) => policy.highFlags.includes(f)) || score.sentiment <= policy.negativeSentimentThreshold) level = 2;
  else level = 1;
  if (ctx.tier === 'vip') level += 1;
  return PRIORITIES[Math.min(level, PRIORITIES.length - 1)];
}

/** One step up, as an SLA breach demands; urgent stays urgent. */
export function raisePriority(priority: Priority): Priority {
  return PRIORITIES[Math.min(PRIORITIES.indexOf(priority) + 1, PRIORITIES.length - 1)];
}

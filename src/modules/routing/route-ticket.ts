import type { Flag, TicketScore, Topic } from '../scoring/types';
import { DEFAULT_POLICY, type RoutingPolicy } from './routing-policy';

/** The active policy: the versioned defaults with the thresholds an operator set in config. */
export function buildPolicy(overrides: { negativeSentiment?: number; highComplexity?: number; aiLanguages?: string[] }): RoutingPolicy {
  const changed =
    (overrides.negativeSentiment !== undefined && overrides.negativeSentiment !== DEFAULT_POLICY.negativeSentimentThreshold) ||
    (overrides.highComplexity !== undefined && overrides.highComplexity !== DEFAULT_POLICY.highComplexityThreshold) ||
    (overrides.aiLanguages !== undefined && overrides.aiLanguages.join(',') !== DEFAULT_POLICY.aiLanguages.join(','));
  const policy: RoutingPolicy = {
    ...DEFAULT_POLICY,
    negativeSentimentThreshold: overrides.negativeSentiment ?? DEFAULT_POLICY.negativeSentimentThreshold,
    highComplexityThreshold: overrides.highComplexity ?? DEFAULT_POLICY.highComplexityThreshold,
    aiLanguages: overrides.aiLanguages ?? DEFAULT_POLICY.aiLanguages,
  };
  // A decision must name the thresholds it used: configured ones get their own version label.
  if (changed) {
    policy.version = `${DEFAULT_POLICY.version}+cfg(s${policy.negativeSentimentThreshold},c${policy.highComplexityThreshold},l${policy.aiLanguages.join('.')})`;
  }
  return policy;
}

const SKILL_BY_FLAG: Partial<Record<Flag, string>> = {
  billing_dispute: 'billing',
  fraud_or_security: 'account_security',
  legal_threat: 'legal',
  complaint: 'complaints',
  privacy_request: 'privacy',
  safety: 'sensitive_care',
  bereavement_or_health: 'sensitive_care',
};
const SKILL_BY_TOPIC: Partial<Record<Topic, string>> = {
  billing: 'billing',
  technical: 'technical',
  legal: 'legal',
  privacy: 'privacy',
};

/** Skills a person needs for this ticket, from what the text is about (never from who sent it). */
export function requiredSkills(score: Pick<TicketScore, 'flags' | 'topics'>): string[] {
  const skills = new Set<string>();
  for (const f of score.flags) if (SKILL_BY_FLAG[f]) skills.add(SKILL_BY_FLAG[f]!);
  for (const t of score.topics) if (SKILL_BY_TOPIC[t]) skills.add(SKILL_BY_TOPIC[t]!);
  return [...skills].sort();
}

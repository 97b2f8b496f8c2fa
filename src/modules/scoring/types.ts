/** The flags of contract v1; routing decides what each one means for the route. */
export const FLAGS = [
  'human_requested',
  'complaint',
  'legal_threat',
  'churn_risk',
  'billing_dispute',
  'fraud_or_security',
  'safety',
  'bereavement_or_health',
  'privacy_request',
] as const;
export type Flag = (typeof FLAGS)[number];

/** Topics drive the skills a human-routed ticket needs. */
export const TOPICS = ['billing', 'technical', 'account', 'shipping', 'returns', 'legal', 'privacy', 'general'] as const;
export type Topic = (typeof TOPICS)[number];

export interface ThreadMessage {
  author: 'customer' | 'ai' | 'agent';
  body: string;
}

/** Only the words the customer wrote: nothing about who they are may reach the scorer. */
export interface ScoreInput {
  subject?: string;
  body: string;
  /** Earlier messages of the same ticket, oldest first (for follow-ups). */
  history?: ThreadMessage[];
}

export interface Evidence {
  flag: Flag | 'dissatisfied';
  /** The lexicon entry that matched, never the customer's surrounding text. */
  match: string;
}

export interface TicketScore {
  /** [-1, 1], negative = unhappy. */
  sentiment: number;
  /** [0, 1]. */
  complexity: number;
  flags: Flag[];
  topics: Topic[];
  /** ISO 639-1 code, or 'und' when the text is too short or unclear to tell. */
  language: string;
  /** A follow-up that says the previous answer did not help ("useless", "that didn't help"). */
  dissatisfied: boolean;
  evidence: Evidence[];
  /** What each complexity feature added, for explaining a HIGH_COMPLEXITY decision. */
  complexityFeatures?: Record<string, number>;
  /** Version of the scorer that produced this score, stored with each routing decision. */
  scorerVersion?: string;
}

import type { Flag } from '../scoring/types';

/** Flags that make a ticket emotionally heavy for the person who takes it. */
export const DISTRESS_FLAGS: Flag[] = ['safety', 'bereavement_or_health'];

/**
 * High-distress tickets are the ones an agent should not be handed many of in a row: safety,
 * bereavement or health, or a customer at or below the policy's "very negative" sentiment.
 */
export function isDistressing(ticket: { flags: string[]; sentiment: number }, negativeSentimentThreshold: number): boolean {
  return ticket.flags.some((f) => (DISTRESS_FLAGS as string[]).includes(f)) || ticket.sentiment <= negativeSentimentThreshold;
}

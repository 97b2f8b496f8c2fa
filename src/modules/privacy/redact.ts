import { PII_KINDS, PII_PATTERNS, placeholderFor, type PiiKind } from './pii-patterns';

export type { PiiKind } from './pii-patterns';

export interface Redaction {
  text: string;
  /** How many values of each kind were replaced; every kind is present, zero when none. */
  counts: Record<PiiKind, number>;
}

/**
 * Replaces personal data with typed placeholders such as `[EMAIL]` so that no AI provider, log line or
 * queue payload ever sees it, while the text still reads naturally ("my card [CARD] was charged").
 * Pure and idempotent: placeholders match no pattern, so redacting twice changes nothing more.
 */
export function redact(text: string): Redaction {
  const counts = Object.fromEntries(PII_KINDS.map((kind) => [kind, 0])) as Record<PiiKind, number>;
  let out = text;
  for (const { kind, regex, accept } of PII_PATTERNS) {
    out = out.replace(regex, (match: string, ...rest: unknown[]) => {
      // With no capture groups, replace() passes (match, offset, whole string).
      const offset = rest[0] as number;
      const taken = accept ? accept(match, offset, out) : match;
      if (taken === null) return match;
      counts[kind] += 1;
      return placeholderFor(kind) + match.slice(taken.length);
    });
  }
  return { text: out, counts };
}

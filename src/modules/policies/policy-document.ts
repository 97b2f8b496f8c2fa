import { z } from 'zod';
import { FLAGS } from '../scoring/types';
import type { Config } from '../../shared/config';
import { buildPolicy, type RoutingPolicy } from '../routing';

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** A two-letter ISO 639-1 code that ICU knows; 'und' is always served, so it is not listed. */
const language = z
  .string()
  .regex(/^[a-z]{2}$/, 'must be a lower-case ISO 639-1 code such as "en"')
  .refine((code) => languageNames.of(code) !== code, 'is not an ISO 639-1 language code');

const flagList = z
  .array(z.enum(FLAGS))
  .max(FLAGS.length)
  .refine((flags) => new Set(flags).size === flags.length, 'must not repeat a flag');

/**
 * A routing policy as stored (its version is the row's key). Every field is checked so a typo cannot
 * route every ticket to the AI: thresholds inside the score ranges, flags from the scorer's list.
 */
export const PolicyDocument = z
  .object({
    negativeSentimentThreshold: z.number().min(-1).max(1),
    highComplexityThreshold: z.number().min(0).max(1),
    humanFlags: flagList,
    urgentFlags: flagList,
    highFlags: flagList,
    aiLanguages: z
      .array(language)
      .max(200)
      .refine((langs) => new Set(langs).size === langs.length, 'must not repeat a language'),
    // null: repeat contact routes nothing (the default); a number turns it on.
    repeatContactThreshold: z.number().int().min(1).max(1000).nullable(),
    repeatContactWindowHours: z.number().int().min(1).max(24 * 90),
  })
  .strict();
export type PolicyDocument = z.infer<typeof PolicyDocument>;

/** The stored document of a policy: everything but the version. */
export function documentOf(policy: RoutingPolicy): PolicyDocument {
  const { version: _version, ...document } = policy;
  return document;
}

/** A stored row as the policy decideRoute takes; the document was validated when it was written. */
export function policyOf(version: string, document: unknown): RoutingPolicy {
  return { version, ...PolicyDocument.parse(document) };
}

/**
 * The policy the settings describe (the default with ROUTING_* and AI_LANGUAGES applied): the first
 * active version of a new installation, and what a process uses when no version is active.
 */
export function configuredPolicy(config: Config): RoutingPolicy {
  return buildPolicy({ negativeSentiment: config.routing.negativeSentiment, highComplexity: config.routing.highComplexity, aiLanguages: config.ai.languages });
}

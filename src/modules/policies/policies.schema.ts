import { z } from 'zod';
import { text } from '../../shared/http/validation';
import { resolveWindow, windowShape } from '../stats';
import { PolicyDocument } from './policy-document';

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,79}$/;

/**
 * A new draft. Fields left out of `policy` are copied from the active version, so a draft can say
 * only what it changes; the stored document is always complete.
 */
export const CreatePolicyBody = z
  .object({
    version: z.string().regex(VERSION, 'must be 1-80 letters, digits, ".", "_", "+" or "-", starting with a letter or digit').optional(),
    note: text(1000).optional(),
    policy: PolicyDocument.partial(),
  })
  .strict();

/** The replay window of a simulation: by default the 30 days up to now. */
export const SimulateQuery = z.object(windowShape).strict().transform(resolveWindow);

/**
 * `force` overrides the fairness guard and then needs a written reason, which the audit log keeps.
 * `from`/`to` choose the window the guard simulates (default: the last 30 days).
 */
export const ActivateBody = z
  .object({
    ...windowShape,
    force: z.boolean().optional(),
    reason: text(2000).optional(),
  })
  .strict()
  .refine((b) => !b.force || (b.reason !== undefined && b.reason.trim().length > 0), {
    path: ['reason'],
    message: 'is required with force: say why the fairness guard is overridden',
  })
  .transform(resolveWindow);

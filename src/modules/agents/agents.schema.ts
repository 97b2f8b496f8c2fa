import { z } from 'zod';
import { identifier, text, uuid } from '../../shared/http/validation';

/** Skills are lower_snake_case names, the same words routing derives from flags and topics. */
export const skill = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,49}$/, 'must be lower_snake_case, at most 50 characters');

/** ISO 639 language codes as the scorer detects them ('en', 'pt', 'yue'). */
const language = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.string().regex(/^[a-z]{2,3}$/, 'must be an ISO 639 language code such as "en"'));

const distinct = <T extends z.ZodType<string>>(item: T, max: number) =>
  z.array(item).max(max).transform((xs) => [...new Set(xs)].sort());

export const AGENT_STATUSES = ['available', 'away', 'offline'] as const;

export const createAgentSchema = z.strictObject({
  name: identifier(200),
  email: z.email().max(254),
  skills: distinct(skill, 50).default([]),
  languages: distinct(language, 30).refine((xs) => xs.length > 0, 'must list at least one language'),
  capacity: z.number().int().min(1).max(100).default(3),
});

export const updateAgentSchema = z
  .strictObject({
    name: identifier(200).optional(),
    email: z.email().max(254).optional(),
    skills: distinct(skill, 50).optional(),
    languages: distinct(language, 30)
      .refine((xs) => xs.length > 0, 'must list at least one language')
      .optional(),
    capacity: z.number().int().min(1).max(100).optional(),
    status: z.enum(AGENT_STATUSES).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'send at least one field to change');

export const replySchema = z.strictObject({
  body: text(20_000).refine((s) => s.trim().length > 0, 'must not be empty'),
});

export const releaseSchema = z.strictObject({
  reason: text(500).refine((s) => s.trim().length > 0, 'must not be empty'),
});

export const transferSchema = z
  .strictObject({
    agentId: uuid.optional(),
    skill: skill.optional(),
    reason: text(500).optional(),
  })
  .refine((b) => (b.agentId === undefined) !== (b.skill === undefined), 'send exactly one of agentId or skill');

export type CreateAgent = z.infer<typeof createAgentSchema>;
export type UpdateAgent = z.infer<typeof updateAgentSchema>;

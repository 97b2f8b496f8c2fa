import { z } from 'zod';
import { BusinessHoursSchema } from './business-hours';

// A year is far beyond any support promise; the bound keeps due times computable.
const minutes = z.number().int().min(1).max(366 * 24 * 60);

export const SlaTargetsSchema = z
  .object({
    firstResponseMinutes: minutes,
    resolutionMinutes: minutes,
    humanRequestMinutes: minutes.default(30),
    businessHours: BusinessHoursSchema.nullable().default(null),
  })
  .strict()
  .refine((t) => t.firstResponseMinutes <= t.resolutionMinutes, {
    message: 'must not exceed resolutionMinutes',
    path: ['firstResponseMinutes'],
  });

/** PUT /v1/sla-policies: any subset of priorities, each replaced whole. */
export const SlaPoliciesUpdateSchema = z
  .object({ urgent: SlaTargetsSchema.optional(), high: SlaTargetsSchema.optional(), normal: SlaTargetsSchema.optional(), low: SlaTargetsSchema.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'must contain at least one priority');

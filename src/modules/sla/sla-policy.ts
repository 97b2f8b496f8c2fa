import type { Priority } from '../routing/routing-policy';
import { addBusinessMinutes, type BusinessHours } from './business-hours';

export interface SlaTargets {
  firstResponseMinutes: number;
  resolutionMinutes: number;
  /** From the moment a customer asks for a person to the first human reply. */
  humanRequestMinutes: number;
  /** Null: the clock runs around the clock. */
  businessHours?: BusinessHours | null;
}
export type SlaPolicies = Record<Priority, SlaTargets>;

/** Issue defaults: first response / resolution per priority; a person within 30 minutes when asked. */
export const DEFAULT_SLA_POLICIES: SlaPolicies = {
  urgent: { firstResponseMinutes: 15, resolutionMinutes: 4 * 60, humanRequestMinutes: 30, businessHours: null },
  high: { firstResponseMinutes: 60, resolutionMinutes: 8 * 60, humanRequestMinutes: 30, businessHours: null },
  normal: { firstResponseMinutes: 4 * 60, resolutionMinutes: 24 * 60, humanRequestMinutes: 30, businessHours: null },
  low: { firstResponseMinutes: 8 * 60, resolutionMinutes: 72 * 60, humanRequestMinutes: 30, businessHours: null },
};

export interface DueTimes {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  /** When a person must have answered if the customer asks for one at `from`. */
  humanRequestDueAt: Date;
}

/** `minutes` of the policy's time (business hours when it has them) after `from`. */
export function addPolicyMinutes(from: Date, minutes: number, targets: Pick<SlaTargets, 'businessHours'>): Date {
  return targets.businessHours ? addBusinessMinutes(from, minutes, targets.businessHours) : new Date(from.getTime() + minutes * 60_000);
}

/** Due times counted from `from` (the moment the ticket was received or re-queued). */
export function computeDueTimes(priority: Priority, from: Date, policies: SlaPolicies = DEFAULT_SLA_POLICIES): DueTimes {
  const p = policies[priority];
  return {
    firstResponseDueAt: addPolicyMinutes(from, p.firstResponseMinutes, p),
    resolutionDueAt: addPolicyMinutes(from, p.resolutionMinutes, p),
    humanRequestDueAt: addPolicyMinutes(from, p.humanRequestMinutes, p),
  };
}

import type { Priority } from '../routing/routing-policy';

export interface SlaTargets {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}
export type SlaPolicies = Record<Priority, SlaTargets>;

/** Contract defaults: first response / resolution per priority. */
export const DEFAULT_SLA_POLICIES: SlaPolicies = {
  urgent: { firstResponseMinutes: 15, resolutionMinutes: 4 * 60 },
  high: { firstResponseMinutes: 60, resolutionMinutes: 8 * 60 },
  normal: { firstResponseMinutes: 4 * 60, resolutionMinutes: 24 * 60 },
  low: { firstResponseMinutes: 8 * 60, resolutionMinutes: 72 * 60 },
};

export interface DueTimes {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
}

/** Due times counted from `from` (the moment the ticket was received or re-queued). */
export function computeDueTimes(priority: Priority, from: Date, policies: SlaPolicies = DEFAULT_SLA_POLICIES): DueTimes {
  const p = policies[priority];
  return {
    firstResponseDueAt: new Date(from.getTime() + p.firstResponseMinutes * 60_000),
    resolutionDueAt: new Date(from.getTime() + p.resolutionMinutes * 60_000),
  };
}

export { computeDueTimes, DEFAULT_SLA_POLICIES, type SlaPolicies, type DueTimes } from './sla-policy';
export { loadSlaPolicies, seedSlaPolicies } from './sla.repository';

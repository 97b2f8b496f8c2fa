export { computeDueTimes, addPolicyMinutes, DEFAULT_SLA_POLICIES, type SlaPolicies, type DueTimes } from './sla-policy';
export { loadSlaPolicies, seedSlaPolicies, saveSlaPolicies } from './sla.repository';
export { addBusinessMinutes, BusinessHoursSchema, type BusinessHours } from './business-hours';
export { slaRouter } from './sla.routes';

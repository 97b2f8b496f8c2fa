export { statsRouter } from './stats.routes';
export { computeSlaStats } from './compute-sla-stats';
export { computeFairness, FOUR_FIFTHS } from './compute-fairness';
export { computeSkillsGap } from './compute-skills-gap';

export { statsRouter } from './stats.routes';
export { computeSlaStats } from './compute-sla-stats';
export { computeFairness, FOUR_FIFTHS } from './compute-fairness';
export { FAIRNESS_ATTRIBUTES, resolveWindow, windowShape, type FairnessAttribute } from './stats.schema';
export { computeSkillsGap } from './compute-skills-gap';

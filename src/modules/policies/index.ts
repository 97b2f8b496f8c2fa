export { createPolicyHolder, policyChannel, type PolicyHolder } from './policy-holder';
export { configuredPolicy, PolicyDocument } from './policy-document';
export { seedActivePolicy } from './policy.repository';
export { policiesRouter } from './policies.routes';

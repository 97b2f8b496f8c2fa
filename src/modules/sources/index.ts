export { sourcesRouter } from './sources.routes';
export { verifySignature } from './verify-signature';
export { signWebhook, verifyWebhook, SIGNATURE_TOLERANCE_SECONDS } from './webhook-signature';
export { forgetCachedSource } from './source-secrets';

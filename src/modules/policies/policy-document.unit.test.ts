import { loadConfig } from '../../shared/config';
import { DEFAULT_POLICY } from '../routing';
import { configuredPolicy, documentOf, PolicyDocument, policyOf } from './policy-document';

const config = (env: Record<string, string> = {}) =>
  loadConfig({ NODE_ENV: 'test', ADMIN_API_KEY: 'hk_admin_unit_0123456789', PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'), ...env });

describe('policy documents', () => {
  it('when the built-in default is stored and read back, then it is the same policy', () => {
    const document = documentOf(DEFAULT_POLICY);

    expect(PolicyDocument.safeParse(document).success).toBe(true);
    expect(document).not.toHaveProperty('version');
    expect(policyOf(DEFAULT_POLICY.version, JSON.parse(JSON.stringify(document)))).toEqual(DEFAULT_POLICY);
  });

  it('when no routing setting is given, then the configured policy is the default version', () => {
    expect(configuredPolicy(config())).toEqual(DEFAULT_POLICY);
  });

  it('when settings change thresholds or languages, then they are applied under a version label of their own', () => {
    const policy = configuredPolicy(config({ ROUTING_NEGATIVE_SENTIMENT: '-0.6', AI_LANGUAGES: 'en,es' }));

    expect(policy).toMatchObject({ negativeSentimentThreshold: -0.6, aiLanguages: ['en', 'es'], highComplexityThreshold: DEFAULT_POLICY.highComplexityThreshold });
    expect(policy.version).toBe(`${DEFAULT_POLICY.version}+cfg(s-0.6,c0.7,len.es)`);
  });

  it('when a stored document was tampered with, then reading it fails instead of routing with it', () => {
    expect(() => policyOf('broken', { ...documentOf(DEFAULT_POLICY), highComplexityThreshold: 7 })).toThrow();
  });
});

import { ConfigError, loadConfig } from './config';

const key = Buffer.alloc(32, 1).toString('base64');

describe('configuration in production', () => {
  test.each([
    ['neither key', {}],
    ['no ADMIN_API_KEY', { PII_ENCRYPTION_KEY: key }],
    ['no PII_ENCRYPTION_KEY', { ADMIN_API_KEY: 'hk_admin_0123456789abcdef' }],
  ])('when production starts with %s, then it refuses', (_name, env) => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: '/nonexistent', ...env })).toThrow(ConfigError);
  });

  test('when production has both keys, then it starts with the security defaults', () => {
    const config = loadConfig({ NODE_ENV: 'production', ADMIN_API_KEY: 'hk_admin_0123456789abcdef', PII_ENCRYPTION_KEY: key });
    expect(config).toMatchObject({ retentionDays: 365, signingSecretOverlapSeconds: 86_400, bodyLimitBytes: 65_536 });
  });
});

import IORedis from 'ioredis';
import { Pool } from 'pg';
import { createLogger } from '../../shared/logger';
import { DEFAULT_POLICY } from '../routing';
import { createPolicyHolder } from './policy-holder';

describe('policy holder', () => {
  it('when Postgres has never answered, then reading the policy is a 503 rather than the fallback', async () => {
    // Nothing listens on port 1: both connections fail the way an outage does.
    const pool = new Pool({ connectionString: 'postgresql://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 500 });
    const publisher = new IORedis('redis://127.0.0.1:1', { lazyConnect: true });
    const holder = createPolicyHolder({
      pool,
      redisUrl: 'redis://127.0.0.1:1',
      publisher,
      channel: 'unit:policy-activated',
      refreshMs: 60_000,
      fallback: DEFAULT_POLICY,
      logger: createLogger('silent'),
    });
    try {
      await expect(holder.refresh()).rejects.toThrow();
      expect(() => holder.current()).toThrow(expect.objectContaining({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' }));
    } finally {
      await holder.close();
      publisher.disconnect();
      await pool.end();
    }
  });
});

import type { Pool, PoolClient } from 'pg';

/**
 * Runs `fn` in one transaction on a pooled `pg` connection: committed when `fn` returns, rolled back
 * when it throws, the connection released either way. `begin` chooses isolation and access mode, so
 * `SET LOCAL` planner settings inside `fn` end with the transaction.
 */
export async function inPgTransaction<T>(pool: Pool, begin: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

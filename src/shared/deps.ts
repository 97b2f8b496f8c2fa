import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Config } from './config';
import type { Db } from './db/prisma';
import type { Logger } from './logger';
import type { Queues } from './queue/queues';
import type { PiiCipher } from '../modules/privacy/pii-cipher';
import type { PolicyHolder } from '../modules/policies/policy-holder';

/** Everything a request handler or job needs, built once per process and passed down. */
export interface Deps {
  config: Config;
  db: Db;
  /** Plain pg pool for hot paths (intake) where one hand-written statement beats the ORM's round trips. */
  pool: Pool;
  redis: Redis;
  queues: Queues;
  cipher: PiiCipher;
  logger: Logger;
  /** The active routing policy, kept current across processes (see docs/routing-policies.md). */
  policies: PolicyHolder;
}

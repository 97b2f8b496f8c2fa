import type { Db } from './prisma';
import type { Logger } from '../logger';
import { seedSlaPolicies } from '../../modules/sla';

/** Idempotent reference data every instance needs: default SLA policies. */
export async function seedDatabase(db: Db, logger: Logger): Promise<void> {
  await seedSlaPolicies(db);
  logger.debug('reference data seeded');
}

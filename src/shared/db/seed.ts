import type { Db } from './prisma';
import type { Logger } from '../logger';
import { seedSlaPolicies } from '../../modules/sla';
import { seedKb } from '../../modules/ai/kb.repository';

/** Idempotent reference data every instance needs: default SLA policies and the help-centre articles. */
export async function seedDatabase(db: Db, logger: Logger): Promise<void> {
  await seedSlaPolicies(db);
  await seedKb(db);
  logger.debug('reference data seeded');
}

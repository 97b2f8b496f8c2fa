import type { Db } from './prisma';
import type { Logger } from '../logger';
import { seedSlaPolicies } from '../../modules/sla';
import { seedKb } from '../../modules/ai/kb.repository';
import { seedActivePolicy } from '../../modules/policies';
import { DEFAULT_POLICY, type RoutingPolicy } from '../../modules/routing';

/**
 * Idempotent reference data every instance needs: default SLA policies, the help-centre articles and,
 * when no routing policy is active yet, `routing` as the first active version.
 */
export async function seedDatabase(db: Db, logger: Logger, routing: RoutingPolicy = DEFAULT_POLICY): Promise<void> {
  await seedSlaPolicies(db);
  await seedActivePolicy(db, routing);
  await seedKb(db);
  logger.debug('reference data seeded');
}

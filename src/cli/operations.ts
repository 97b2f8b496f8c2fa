import type { Db } from '../shared/db/prisma';
import { loadConfig } from '../shared/config';
import { createLogger } from '../shared/logger';
import { recordAudit } from '../modules/audit/audit';
import { recordAvailability } from '../modules/agents/availability-history';
import { createAgentSchema } from '../modules/agents/agents.schema';
import { createPiiCipher, parsePiiKeys } from '../modules/privacy/pii-cipher';
import { eraseExpiredPersonalData } from '../modules/privacy/retention';
import { countStaleValues, rotatePiiKey } from '../modules/privacy/rotate-key';

const CLI_ACTOR = { keyId: 'cli', role: 'admin' };
const list = (v?: string) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

/** Operator commands beyond keys and tickets; each returns what to print and an exit code. */
export class OperationError extends Error {}

export async function createAgentCommand(db: Db, opts: { name: string; email: string; skills?: string; languages?: string; capacity?: string }) {
  const parsed = createAgentSchema.safeParse({
    name: opts.name,
    email: opts.email,
    skills: list(opts.skills),
    languages: list(opts.languages ?? 'en'),
    ...(opts.capacity ? { capacity: Number(opts.capacity) } : {}),
  });
  if (!parsed.success) throw new OperationError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  return db.$transaction(async (tx) => {
    const agent = await tx.agent.create({ data: parsed.data });
    await recordAvailability(tx, agent, agent.createdAt);
    await recordAudit(tx, CLI_ACTOR, 'agent.create', 'agent', agent.id, { name: agent.name });
    return agent;
  });
}

/**
 * Marks failed deliveries pending again; the workers' delivery sweeper sends pending rows, so the
 * CLI needs no Redis.
 */
export async function retryFailedDeliveries(db: Db, id?: string): Promise<number> {
  const { count } = await db.delivery.updateMany({ where: { status: 'failed', ...(id ? { id } : {}) }, data: { status: 'pending', lastError: null } });
  await recordAudit(db, CLI_ACTOR, 'delivery.retry', 'delivery', id ?? '*', { count });
  return count;
}

export async function runRetention(db: Db, days?: string): Promise<{ tickets: number; customers: number; days: number }> {
  const config = loadConfig();
  const retentionDays = days !== undefined ? Number(days) : config.retentionDays;
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new OperationError('--days must be a positive whole number (RETENTION_DAYS=0 disables retention)');
  const erased = await eraseExpiredPersonalData({ db, logger: createLogger('silent') }, retentionDays);
  return { ...erased, days: retentionDays };
}

export async function runKeyRotation(db: Db, batchSize = 500): Promise<{ activeKeyId: string; remaining: number; counts: unknown }> {
  const config = loadConfig();
  const keys = parsePiiKeys(config.piiEncryptionKey);
  const cipher = createPiiCipher(keys, keys[0].id);
  const counts = await rotatePiiKey(db, cipher, createLogger('silent'), batchSize);
  return { activeKeyId: cipher.activeKeyId, counts, remaining: await countStaleValues(db, cipher.activeKeyId) };
}

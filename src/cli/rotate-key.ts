import { ConfigError, loadConfig } from '../shared/config';
import { createPrisma } from '../shared/db/prisma';
import { createLogger } from '../shared/logger';
import { createPiiCipher, parsePiiKeys } from '../modules/privacy/pii-cipher';
import { countStaleValues, rotatePiiKey } from '../modules/privacy/rotate-key';

/**
 * `npm run rotate-key [-- --batch-size N]`: re-encrypts all personal data under the first key of
 * PII_ENCRYPTION_KEY. Safe to interrupt and run again; safe while the service runs.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'silent' ? 'silent' : 'info');
  const i = process.argv.indexOf('--batch-size');
  const batchSize = i > 0 ? Number(process.argv[i + 1]) : 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError('--batch-size must be a positive integer');
  const keys = parsePiiKeys(config.piiEncryptionKey);
  const cipher = createPiiCipher(keys, keys[0].id);
  const db = createPrisma(config.databaseUrl, 2);
  try {
    const counts = await rotatePiiKey(db, cipher, logger, batchSize);
    const remaining = await countStaleValues(db, cipher.activeKeyId);
    logger.info({ activeKeyId: cipher.activeKeyId, counts, remaining }, remaining === 0 ? 'rotation complete: older keys may be removed' : 'rotation incomplete: run again');
    process.exitCode = remaining === 0 ? 0 : 2;
  } finally {
    await db.$disconnect();
  }
}

main().catch((err) => {
  // The message names a table or key id at most; values are never part of an error here.
  console.error('rotate-key failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});

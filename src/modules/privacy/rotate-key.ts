import type { Db } from '../../shared/db/prisma';
import type { Logger } from '../../shared/logger';
import { recordAudit, SYSTEM_ACTORS } from '../audit';
import type { PiiCipher } from './pii-cipher';

/** Every column holding PII ciphertext. Identifiers are constants, never input, so raw SQL is safe. */
const SCALAR_COLUMNS = [
  { table: 'customers', column: 'name_enc' },
  { table: 'customers', column: 'email_enc' },
  { table: 'customers', column: 'phone_enc' },
  { table: 'tickets', column: 'subject_enc' },
  { table: 'messages', column: 'body_enc' },
  { table: 'deliveries', column: 'payload_enc' },
] as const;

export type RotationCounts = Record<string, number>;

/**
 * Re-encrypts every stored value whose key id is not the active one, batch by batch. It selects
 * only stale values, so it is resumable: run it again after a crash and it continues where it was.
 * Each update is guarded by the old ciphertext, so a concurrent write is never overwritten.
 * Raw SQL also leaves `updated_at` alone, which matters for sources (the secret overlap runs from it).
 */
export async function rotatePiiKey(db: Db, cipher: PiiCipher, logger: Logger, batchSize = 500): Promise<RotationCounts> {
  const active = cipher.activeKeyId;
  const counts: RotationCounts = {};
  for (const { table, column } of SCALAR_COLUMNS) {
    let total = 0;
    for (;;) {
      const rows = await db.$queryRawUnsafe<{ id: string; value: string }[]>(
        `SELECT id::text AS id, "${column}" AS value FROM "${table}"
         WHERE "${column}" IS NOT NULL AND split_part("${column}", '.', 2) <> $1 ORDER BY id LIMIT $2`,
        active,
        batchSize,
      );
      let updated = 0;
      for (const row of rows) {
        updated += await db.$executeRawUnsafe(
          `UPDATE "${table}" SET "${column}" = $1 WHERE id = $2::uuid AND "${column}" = $3`,
          cipher.encrypt(cipher.decrypt(row.value)),
          row.id,
          row.value,
        );
      }
      total += updated;
      if (rows.length > 0) logger.info({ table, column, updated }, 'pii batch re-encrypted');
      // A batch that changed nothing means every row moved under us; the next run picks them up.
      if (rows.length < batchSize || updated === 0) break;
    }
    counts[`${table}.${column}`] = total;
  }
  counts['sources.signing_secrets_enc'] = await rotateSourceSecrets(db, cipher, batchSize);
  await recordAudit(db, SYSTEM_ACTORS.rotateKey, 'pii_key.rotate', 'pii_key', active, { counts });
  return counts;
}

async function rotateSourceSecrets(db: Db, cipher: PiiCipher, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await db.$queryRaw<{ name: string; secrets: string[] }[]>`
      SELECT name, signing_secrets_enc AS secrets FROM sources
      WHERE EXISTS (SELECT 1 FROM unnest(signing_secrets_enc) s WHERE split_part(s, '.', 2) <> ${cipher.activeKeyId})
      ORDER BY name LIMIT ${batchSize}`;
    let updated = 0;
    for (const row of rows) {
      const rotated = row.secrets.map((s) => (cipher.needsRotation(s) ? cipher.encrypt(cipher.decrypt(s)) : s));
      updated += await db.$executeRaw`
        UPDATE sources SET signing_secrets_enc = ${rotated} WHERE name = ${row.name} AND signing_secrets_enc = ${row.secrets}`;
    }
    total += updated;
    if (rows.length < batchSize || updated === 0) return total;
  }
}

/** How many values are still under another key: zero means the old key may be removed. */
export async function countStaleValues(db: Db, activeKeyId: string): Promise<number> {
  let stale = 0;
  for (const { table, column } of SCALAR_COLUMNS) {
    const [{ n }] = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" IS NOT NULL AND split_part("${column}", '.', 2) <> $1`,
      activeKeyId,
    );
    stale += n;
  }
  const [{ n }] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM sources, unnest(signing_secrets_enc) s WHERE split_part(s, '.', 2) <> ${activeKeyId}`;
  return stale + n;
}

import pg from 'pg';

// Workaround for prisma/prisma#27403: the schema engine cannot deserialize Postgres catalog
// columns of type `name` (oid 19) or `char` (oid 18) read through adapter-pg. Reporting them as
// `text` (oid 25) is enough for `migrate deploy`. Remove when upstream fixes it.
const CATALOG_TEXT_OIDS = new Set([18, 19]);
const TEXT_OID = 25;

/** Rewrites the field types of a pg result (or results, for multi-statement scripts) in place. */
export function reportCatalogColumnsAsText<T>(result: T): T {
  const results = Array.isArray(result) ? result : [result];
  for (const r of results as { fields?: { dataTypeID: number }[] }[]) {
    for (const field of r?.fields ?? []) {
      if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}

/** A pg pool for the Prisma CLI's schema engine only; the application uses a plain pool. */
export class MigrationPool extends pg.Pool {
  // pg's overloads make a typed override impractical; adapter-pg only uses the promise form.
  override query(...args: unknown[]): any {
    const out = (super.query as (...a: unknown[]) => unknown).apply(this, args);
    if (out && typeof (out as Promise<unknown>).then === 'function') return (out as Promise<unknown>).then(reportCatalogColumnsAsText);
    return out;
  }
}

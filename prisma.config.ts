import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { MigrationPool } from './src/shared/db/migration-pool';

// schema.prisma reads env("DATABASE_URL"); without a value the CLI cannot read the schema and
// falls back to downloading a native engine, which these machines cannot do.
process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/handoff';

// The WebAssembly schema engine plus adapter-pg is how migrations run on machines that cannot
// download Prisma's native engines (see docs/architecture.md).
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  adapter: async () => new PrismaPg(new MigrationPool({ connectionString: process.env.DATABASE_URL, max: 2 })),
});
